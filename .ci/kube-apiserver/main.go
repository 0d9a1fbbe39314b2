// Command lookout-crd-apiserver is apiextensions-apiserver as Lookout's tests run it: a real Kubernetes API
// server for CustomResourceDefinitions and custom resources alone, without kube-apiserver's core API.
//
// Upstream's command is meant to sit behind kube-aggregator, which serves discovery (/apis) for it, so it
// turns discovery off; kubectl cannot find a resource without it. This command turns it back on and serves
// OpenAPI v2 and v3 (the CRD schemas) as kube-apiserver would, which kubectl apply, explain and
// server-side field validation read. Built by .ci/kube-apiserver.sh from Debian's Go source packages.
package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"k8s.io/apiextensions-apiserver/pkg/apiserver"
	"k8s.io/apiextensions-apiserver/pkg/cmd/server/options"
	generatedopenapi "k8s.io/apiextensions-apiserver/pkg/generated/openapi"
	openapinamer "k8s.io/apiserver/pkg/endpoints/openapi"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/util/openapi"
	"k8s.io/component-base/cli"
)

func main() {
	opts := options.NewCustomResourceDefinitionsServerOptions(os.Stdout, os.Stderr)
	cmd := &cobra.Command{
		Use:   "lookout-crd-apiserver",
		Short: "A Kubernetes API server for CustomResourceDefinitions and custom resources, with discovery",
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return opts.ServerRunOptions.ComponentGlobalsRegistry.Set()
		},
		RunE: func(c *cobra.Command, _ []string) error {
			if err := opts.Complete(); err != nil {
				return err
			}
			if err := opts.Validate(); err != nil {
				return err
			}
			return run(c.Context(), opts)
		},
	}
	cmd.SetContext(genericapiserver.SetupSignalContext())
	opts.AddFlags(cmd.Flags())
	os.Exit(cli.Run(cmd))
}

func run(ctx context.Context, opts *options.CustomResourceDefinitionsServerOptions) error {
	config, err := opts.Config()
	if err != nil {
		return err
	}
	// Config sets OpenAPI v3 only. The CRD OpenAPI controllers (v2 and v3) run only when the server also
	// has a static v2 spec, which this config gives it.
	definitions := openapi.GetOpenAPIDefinitionsWithoutDisabledFeatures(generatedopenapi.GetOpenAPIDefinitions)
	config.GenericConfig.OpenAPIConfig = genericapiserver.DefaultOpenAPIConfig(definitions,
		openapinamer.NewDefinitionNamer(apiserver.Scheme))

	completed := config.Complete()
	// Complete turns discovery off (kube-aggregator's job in a cluster); nothing serves it for us.
	completed.GenericConfig.EnableDiscovery = true
	server, err := completed.New(genericapiserver.NewEmptyDelegate())
	if err != nil {
		return err
	}
	return server.GenericAPIServer.PrepareRun().RunWithContext(ctx)
}
