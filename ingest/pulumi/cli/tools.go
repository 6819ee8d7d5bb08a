//go:build tools

// Keeps the CLI's main package in this module's graph (it is built with
// `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
