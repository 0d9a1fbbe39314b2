package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import dev.lookout.testing.MutableClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of builds run beside the reconcile workers: one build per host and tag, the owner told when it
 * ends, a failure kept until it may be tried again. The engine's side is a stand-in that only counts and blocks
 * (the real build through the engine is ModuleImageBuildE2ETest's).
 */
class BackgroundBuildsTest {
    static final ObjectKey OWNER = new ObjectKey("NginxVtsTarget", "default", "edge");
    static final ObjectKey OTHER = new ObjectKey("NginxVtsTarget", "default", "edge-2");
    static final Workload.ImageBuild BUILD = new Workload.ImageBuild("lookout/nginx-vts", "nginx:1", Map.of("Dockerfile", new byte[0]),
            "inputs", "vts-0.2.4");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    final BackgroundBuilds builds = new BackgroundBuilds(clock, "test");
    final List<ObjectKey> done = new CopyOnWriteArrayList<>();
    final AtomicInteger started = new AtomicInteger();

    /** An engine whose build waits for {@code release}, then succeeds or is refused. */
    DockerApi engine(CountDownLatch release, boolean refuse) {
        return (DockerApi) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DockerApi.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "host":
                    return "local";
                case "build":
                    started.incrementAndGet();
                    release.await(10, TimeUnit.SECONDS);
                    if (refuse) {
                        throw new DockerException.Refused("local", 500, "apt-get source nginx failed", null);
                    }
                    return "sha256:built";
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    @Test
    void oneBuildPerTagWhoeverAsksAndTheOwnerIsToldWhenItEnds() {
        CountDownLatch release = new CountDownLatch(1);
        DockerApi api = engine(release, false);

        BackgroundBuilds.Progress first = builds.ensure(api, BUILD, "lookout/nginx-vts:t1", OWNER, done::add);
        BackgroundBuilds.Progress second = builds.ensure(api, BUILD, "lookout/nginx-vts:t1", OTHER, done::add);

        assertThat(first).isEqualTo(new BackgroundBuilds.Progress.Building(clock.instant()));
        assertThat(second).as("the same build, not a second one").isEqualTo(first);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 2);
        assertThat(done).as("every owner that waited is told").containsExactlyInAnyOrder(OWNER, OTHER);
        assertThat(started).hasValue(1);
    }

    @Test
    void aFailedBuildIsSaidUntilItMayBeTriedAgain() {
        CountDownLatch release = new CountDownLatch(1);
        release.countDown();
        DockerApi api = engine(release, true);

        builds.ensure(api, BUILD, "lookout/nginx-vts:t2", OWNER, done::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);

        BackgroundBuilds.Progress failed = builds.ensure(api, BUILD, "lookout/nginx-vts:t2", OWNER, done::add);
        assertThat(failed).isInstanceOfSatisfying(BackgroundBuilds.Progress.Failed.class,
                f -> assertThat(f.message()).contains("apt-get source nginx failed"));
        assertThat(builds.retryIn((BackgroundBuilds.Progress.Failed) failed)).isEqualTo(BackgroundBuilds.RETRY_AFTER);
        assertThat(started).as("not retried in a loop").hasValue(1);

        clock.advance(BackgroundBuilds.RETRY_AFTER);
        assertThat(builds.ensure(api, BUILD, "lookout/nginx-vts:t2", OWNER, done::add))
                .isInstanceOf(BackgroundBuilds.Progress.Building.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 2);
        assertThat(started).as("tried again once the wait is over").hasValue(2);
    }

    @Test
    void aFailureIsForgottenOnceItsWaitIsOverEvenWhenItsTagIsNeverAskedForAgain() {
        CountDownLatch release = new CountDownLatch(1);
        release.countDown();
        DockerApi refusing = engine(release, true);
        builds.ensure(refusing, BUILD, "lookout/nginx-vts:old-inputs", OWNER, done::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        assertThat(builds.remembered()).isEqualTo(1);

        clock.advance(BackgroundBuilds.RETRY_AFTER);
        builds.ensure(engine(new CountDownLatch(0), false), BUILD, "lookout/nginx-vts:new-inputs", OWNER, done::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 2);
        assertThat(builds.remembered()).as("the old tag's failure is gone, the new build is done").isZero();
    }
}
