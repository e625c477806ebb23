// Package distribution tests what the plugin ships and how it is run: the
// plugin metadata, the compose stack, the provisioning files, the bundled
// dashboards and alert rule (statically, then by running every one of their
// queries through the backend in demo mode), and the release archive.
package distribution
