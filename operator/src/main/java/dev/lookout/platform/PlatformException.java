package dev.lookout.platform;

/** A platform call failed in a way worth retrying with backoff (the engine's queue does). */
public class PlatformException extends RuntimeException {
    protected PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
