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

var bodyPools [maxPooledClass + 1]sync.Pool // of *[]byte, by class

// takeBody returns an empty buffer with room for at least size bytes: a
// recycled one of the size's class when the pool has one.
func takeBody(size int64) []byte {
	class := bits.Len64(uint64(max(size, 1) - 1)) // the smallest c with 1<<c >= size
	if class < minPooledClass || class > maxPooledClass {
		return make([]byte, 0, size)
	}
	if p, ok := bodyPools[class].Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return make([]byte, 0, 1<<class)
}

// recycleBody hands a body back for reuse. Only call it once nothing
// refers to b any more (the data decoder copies what it keeps).
func recycleBody(b []byte) {
	class := bits.Len64(uint64(cap(b))) - 1 // the largest c with 1<<c <= cap
	if class < minPooledClass || class > maxPooledClass {
		return
	}
	b = b[:0]
	bodyPools[class].Put(&b)
}
