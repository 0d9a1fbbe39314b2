# Lookout: build, test, run. Every target works on a fresh Debian machine once .ci/run's packages are there.
MVN ?= mvn -B -q
JAR := operator/target/lookout.jar

.PHONY: build test run crds bench clean

build: $(JAR)

$(JAR): pom.xml operator/pom.xml $(shell find operator/src/main crds -type f 2>/dev/null)
	$(MVN) -DskipTests package

# The tests run real promtool, prometheus and blackbox_exporter (Debian sid), cached in ~/.cache/lookout.
test:
	bash .ci/tools.sh
	mvn -B test

# The main job. Until `lookout run` lands this validates the example setup; it will start the
# operator on examples/ with embedded defaults.
run: build
	java -jar $(JAR) validate examples/

# Regenerates crds/ from the model classes (a test fails while they are out of date).
crds:
	mvn -B -q test -Dtest=CrdsUpToDateTest -Dcrds.update=true -Dsurefire.failIfNoSpecifiedTests=false

bench: build
	java -cp $(JAR):operator/target/test-classes dev.lookout.bench.LoadBench
	bash .ci/tools.sh
	$(MVN) -f operator/pom.xml exec:java -Dexec.mainClass=dev.lookout.bench.ReloadBench -Dexec.classpathScope=test

clean:
	mvn -B -q clean
