package locus

import (
	"math/bits"
	"sync"
)

// Large response bodies (data responses of weeks of 5-minute values run to
// megabytes) are recycled once decoded, so a dashboard's chunked requests
// reuse a few buffers instead of allocating one per response. Buffers are
// pooled by power-of-two capacity class, so a compressed body and the
// decoded body it expands to do not compete for the same buffer.
const (
	// minPooledClass is the smallest class recycled (256 KiB).
	minPooledClass = 18
	// maxPooledClass is the largest (64 MiB); bigger buffers are left to the GC.
	maxPooledClass = 26
)

// retainedBodyBytes bounds the capacity the free lists keep between
// responses. Unlike a sync.Pool, which the garbage collector empties every
// other cycle (a year of chunked data collects several times per query, so
// most buffers were allocated again), the lists keep their buffers: a
// dashboard's chunked responses reuse the same few, and the memory held
// while idle is at most this.
const retainedBodyBytes = 16 << 20

// bodyFree holds recycled buffers by class, up to retainedBodyBytes of capacity.
var bodyFree struct {
	sync.Mutex
	lists [maxPooledClass + 1][][]byte
	bytes int
}

// takeBody returns an empty buffer with room for at least size bytes: a
// recycled one of the size's class when one is kept.
func takeBody(size int64) []byte {
	class := bits.Len64(uint64(max(size, 1) - 1)) // the smallest c with 1<<c >= size
	if class < minPooledClass || class > maxPooledClass {
		return make([]byte, 0, size)
	}
	bodyFree.Lock()
	if l := bodyFree.lists[class]; len(l) > 0 {
		b := l[len(l)-1]
		l[len(l)-1] = nil
		bodyFree.lists[class] = l[:len(l)-1]
		bodyFree.bytes -= cap(b)
		bodyFree.Unlock()
		return b[:0]
	}
	bodyFree.Unlock()
	return make([]byte, 0, 1<<class)
}

// recycleBody hands a body back for reuse; it is dropped (left to the GC)
// when keeping it would hold more than retainedBodyBytes. Only call it once
// nothing refers to b any more (the data decoder copies what it keeps).
func recycleBody(b []byte) {
	class := bits.Len64(uint64(cap(b))) - 1 // the largest c with 1<<c <= cap
	if class < minPooledClass || class > maxPooledClass {
		return
	}
	bodyFree.Lock()
	defer bodyFree.Unlock()
	if bodyFree.bytes+cap(b) > retainedBodyBytes {
		return
	}
	bodyFree.bytes += cap(b)
	bodyFree.lists[class] = append(bodyFree.lists[class], b[:0])
}
