package dev.lookout.kubernetes.platform;

import dev.lookout.platform.PlatformException;

/** The API server refused or could not be asked; retried with backoff like any platform failure. */
public final class KubernetesPlatformException extends PlatformException {
    KubernetesPlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
