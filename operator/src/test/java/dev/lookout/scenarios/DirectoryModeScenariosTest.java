package dev.lookout.scenarios;

import dev.lookout.directory.DirectoryOperator;
import dev.lookout.testing.Manifests;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link ReconcileScenarios} in directory mode: a resource is a file in the watched folder. */
class DirectoryModeScenariosTest extends ReconcileScenarios {
    private DirectoryOperator lookout;
    private Path watch;

    @Override
    protected int startLookout() throws Exception {
        watch = Files.createDirectories(tmp.resolve("resources"));
        lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch, config, null, folders.out(), tmp.resolve("state"),
                new InetSocketAddress("127.0.0.1", 0)));
        return lookout.httpPort();
    }

    @Override
    protected void stopLookout() throws Exception {
        if (lookout != null) {
            lookout.close();
        }
    }

    @Override
    protected void apply(String name, String yaml) throws Exception {
        Manifests.write(watch, name + ".yaml", yaml);
    }

    @Override
    protected void delete(String name) throws Exception {
        Files.delete(watch.resolve(name + ".yaml"));
    }
}
