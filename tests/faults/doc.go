// Package faults holds the reliability and security scenarios of the Locus
// data source (issue 7): every test drives the host datasource (pkg/plugin)
// against the simulator (pkg/locussim) over HTTP on 127.0.0.1, injects
// faults with the simulator's knobs or a fault-injecting front on the wire,
// and asserts the outcome. TestMain prints the figures (scenarios, faults
// injected, queries completed, errors surfaced, values compared) and checks
// that no secret ever surfaced in any log, error, frame meta, resource
// response or health message. Run them with scripts/faults.sh
// (npm run test:faults), which adds every native fuzz target of the module.
package faults
