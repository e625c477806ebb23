// Package fanout is the one way the plugin runs work concurrently: a
// function per item on golang.org/x/sync/errgroup, at most a bound of them
// at a time (errgroup's SetLimit), the first failure cancelling the rest
// unless the items are independent, and a panic in one item recovered as an
// error naming the item, so a bug in one goroutine fails its own work
// instead of crashing the plugin process.
package fanout

import (
	"context"
	"fmt"
	"runtime/debug"

	"golang.org/x/sync/errgroup"
)

// PanicError is a panic recovered by Guard or Each: Item names the work it
// happened in, Value is the panic value and Stack the goroutine's stack (for
// the log). Its message names the item only, never the value (which may hold
// anything), so it can be shown to the user.
type PanicError struct {
	Item  string
	Value any
	Stack []byte
}

func (p *PanicError) Error() string {
	return fmt.Sprintf("internal error while %s (a bug in the plugin; its log has the details)", p.Item)
}

// Guard runs fn and returns its error; a panic in fn is recovered and
// returned as a *PanicError naming item.
func Guard(item string, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Item: item, Value: p, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// Options configures Each.
type Options struct {
	// Limit is the most items running at once; an item's goroutine starts
	// only when a slot is free, so goroutines and what they hold stay
	// bounded whatever the number of items. Less than 1 means no bound.
	Limit int
	// KeepGoing runs every item whatever the others return, even once ctx
	// has ended (each item's error is its own; an item that must not start
	// after ctx ended checks it). Without it the first failure, or the end
	// of ctx, cancels the context the other items see and no further item
	// starts.
	KeepGoing bool
	// OnPanic, when not nil, is called with every recovered panic (to log
	// its value and stack) before it is returned as the item's error.
	OnPanic func(*PanicError)
}

// Each runs fn(ctx, i) for every i in [0, n) concurrently, as opt says, and
// waits for them. It returns each item's error (nil for an item that
// succeeded) and the first failure in time (nil when no item failed):
//
//   - an error fn returned;
//   - a *PanicError naming the item (name(i), called only then) when fn
//     panicked;
//   - without KeepGoing, for an item that did not run because ctx ended or
//     another item failed first: the context's cause (ctx's error, or that
//     first failure). When ctx ended and no item failed, the returned error
//     is ctx's.
//
// fn receives a context cancelled at the first failure (without KeepGoing)
// or when ctx ends; fn must not keep it after returning.
func Each(ctx context.Context, n int, opt Options, name func(i int) string, fn func(ctx context.Context, i int) error) ([]error, error) {
	errs := make([]error, n)
	var g *errgroup.Group
	gctx := ctx
	if opt.KeepGoing {
		g = new(errgroup.Group)
	} else {
		g, gctx = errgroup.WithContext(ctx)
	}
	if opt.Limit < 1 {
		g.SetLimit(-1)
	} else {
		g.SetLimit(opt.Limit)
	}
	for i := range n {
		if !opt.KeepGoing && gctx.Err() != nil {
			for j := i; j < n; j++ {
				errs[j] = context.Cause(gctx)
			}
			break
		}
		g.Go(func() error {
			if !opt.KeepGoing && gctx.Err() != nil {
				// Waited for a slot while the work was called off.
				errs[i] = context.Cause(gctx)
				return nil
			}
			err := Guard("", func() error { return fn(gctx, i) })
			if pe, ok := err.(*PanicError); ok {
				pe.Item = name(i)
				if opt.OnPanic != nil {
					opt.OnPanic(pe)
				}
			}
			errs[i] = err
			return err
		})
	}
	first := g.Wait()
	if first == nil && ctx.Err() != nil {
		for _, err := range errs {
			if err != nil {
				return errs, ctx.Err()
			}
		}
	}
	return errs, first
}
