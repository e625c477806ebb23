package locus

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestWaitIdleReturnsOnceASlotIsFreeAndNobodyWaits(t *testing.T) {
	q := joinQueue("idle-test", 1)
	defer q.leave(1)
	if err := q.waitIdle(bg()); err != nil {
		t.Fatalf("an empty queue is idle: %v", err)
	}
	if err := q.acquire(bg()); err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() { second <- q.acquire(bg()) }()
	for _, waiting, _ := q.stats(); waiting == 0; _, waiting, _ = q.stats() {
		time.Sleep(time.Millisecond)
	}
	idle := make(chan error, 1)
	go func() { idle <- q.waitIdle(bg()) }()

	q.release() // the slot goes to the waiter: still busy
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-idle:
		t.Fatalf("waitIdle returned (%v) while a request still held the only slot", err)
	case <-time.After(20 * time.Millisecond):
	}
	q.release()
	select {
	case err := <-idle:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waitIdle did not return once the queue was idle")
	}
}

func TestWaitIdleEndsWithItsContext(t *testing.T) {
	q := joinQueue("idle-ctx-test", 1)
	defer q.leave(1)
	if err := q.acquire(bg()); err != nil {
		t.Fatal(err)
	}
	defer q.release()
	ctx, cancel := context.WithTimeout(bg(), 10*time.Millisecond)
	defer cancel()
	if err := q.waitIdle(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waitIdle on a busy queue = %v, want the context's deadline error", err)
	}
}
