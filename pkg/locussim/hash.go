package locussim

// splitmix64 finaliser: a fast, well-mixed, stateless hash. Every generated
// property is a pure function of (seed, entity, time) through these helpers,
// so the fleet and its data are deterministic and need no precomputation.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hash2 combines two values into one hash.
func hash2(a, b uint64) uint64 { return mix(mix(a) ^ b) }

// hash3 combines three values into one hash.
func hash3(a, b, c uint64) uint64 { return mix(hash2(a, b) ^ c) }

// hash4 combines four values into one hash.
func hash4(a, b, c, d uint64) uint64 { return mix(hash3(a, b, c) ^ d) }

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// between maps a hash to [lo, hi).
func between(h uint64, lo, hi float64) float64 { return lo + (hi-lo)*unit(h) }

// pick maps a hash to an index in [0, n).
func pick(h uint64, n int) int { return int(h % uint64(n)) }

// Salts separate the hash streams of unrelated properties.
const (
	saltSite uint64 = iota + 1
	saltComponent
	saltClient
	saltWeatherDay
	saltWeatherQuarter
	saltTempDay
	saltEvent
	saltMinute
	saltFault
	saltInverter
	saltWind
)
