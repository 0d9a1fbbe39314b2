package dev.lookout.docker;

import dev.lookout.platform.PlatformException;

/** What went wrong talking to an engine, by what the caller does about it. */
public abstract sealed class DockerException extends PlatformException {
    private final String host;

    DockerException(String host, String message, Throwable cause) {
        super(message, cause);
        this.host = host;
    }

    public String host() {
        return host;
    }

    /** The engine does not answer (refused, timed out, socket missing): every resource on the host waits for it. */
    public static final class Unavailable extends DockerException {
        public Unavailable(String host, String message, Throwable cause) {
            super(host, message, cause);
        }
    }

    /** The image is not on the host and could not be pulled. */
    public static final class ImageNotFound extends DockerException {
        private final String image;

        public ImageNotFound(String host, String image, String message) {
            super(host, message, null);
            this.image = image;
        }

        public String image() {
            return image;
        }
    }

    /** A container of that name already exists. */
    public static final class Conflict extends DockerException {
        public Conflict(String host, String message) {
            super(host, message, null);
        }
    }

    /** A command (a container run to its end, an exec) ran and exited non-zero: its own answer, not the engine's. */
    public static final class Exited extends DockerException {
        public Exited(String host, String message) {
            super(host, message, null);
        }
    }

    /** Any other refusal from the engine, with its status code and message. */
    public static final class Refused extends DockerException {
        private final int status;

        public Refused(String host, int status, String message, Throwable cause) {
            super(host, message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
