// kube-controller-manager for the local control plane: Deployment, CronJob, namespace and garbage
// collection controllers run for real.
package main

import (
	"os"
	// The CronJob controller computes fire times in spec.timeZone.
	_ "time/tzdata"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
