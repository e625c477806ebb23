// Package testkit is the project's one Go test kit: what the tests of every
// package need and would otherwise each write again. It imports only the
// standard library and the plugin SDK, so the tests of any package of the
// module (pkg/locus and pkg/locussim included) can use it without an import
// cycle. Its sub-packages add what needs the project's packages:
//
//   - simkit: a simulator (pkg/locussim) on 127.0.0.1, fleet picks, data
//     source settings for its accounts and the shared query set of one query
//     of every type (testdata/queries), for the engine, the host and the
//     built binary alike.
//   - locuskit: a Locus client (pkg/locus) configured for a simulator.
//
// Nothing here is product code: only _test.go files import it.
package testkit
