package dev.lookout.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = LookoutCommand.class.getPackage().getImplementationVersion();
        return new String[] {"lookout " + (version == null ? "development build" : version)};
    }
}
