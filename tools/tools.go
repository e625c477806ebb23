//go:build tools

package tools

import (
	_ "github.com/grafana/grafana-plugin-sdk-go/backend"
	_ "github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	_ "github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	_ "github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"
	_ "github.com/grafana/grafana-plugin-sdk-go/data"
	_ "github.com/grafana/grafana-plugin-sdk-go/experimental/datasourcetest"
	_ "github.com/hashicorp/go-plugin"
	_ "golang.org/x/sync/singleflight"
	_ "github.com/magefile/mage/mg"
	_ "github.com/grafana/grafana-plugin-sdk-go/build"
)

