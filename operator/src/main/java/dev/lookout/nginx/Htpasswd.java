package dev.lookout.nginx;

import java.security.SecureRandom;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * The htpasswd line of the status page's user: SHA-512-crypt ({@code $6$}), which nginx's {@code auth_basic} verifies
 * through the libc's {@code crypt()}: glibc and libxcrypt (Debian's, the official nginx images' base) both have it,
 * where bcrypt ({@code $2y$}) is libxcrypt only and Alpine's musl has neither it nor yescrypt. nginx's own schemes
 * ({@code {SHA}}, {@code {SSHA}}) are single unsalted or salted SHA-1: not a strong hash. 50,000 rounds (ten times
 * crypt's default) cost a few ms per status request: the page is scraped, not browsed. The password itself is never
 * written anywhere; a new salt makes a new line, so the file is only rewritten when the Secret changes.
 */
public final class Htpasswd {
    static final int ROUNDS = 50_000;
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Htpasswd() {
    }

    /** {@code user:$6$rounds=50000$<salt>$<hash>} and a newline. */
    public static String line(String user, byte[] password) {
        StringBuilder salt = new StringBuilder("$6$rounds=" + ROUNDS + "$");
        for (int i = 0; i < 16; i++) {
            salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        }
        // A copy: Sha2Crypt zeroes the bytes it is given.
        return user + ":" + Sha2Crypt.sha512Crypt(password.clone(), salt.toString()) + "\n";
    }

    /** Whether {@code line} is {@code user}'s with {@code password}: the same check nginx makes. */
    public static boolean matches(String line, String user, byte[] password) {
        String prefix = user + ":";
        if (!line.startsWith(prefix)) {
            return false;
        }
        String hash = line.substring(prefix.length()).strip();
        return hash.startsWith("$6$") && Sha2Crypt.sha512Crypt(password.clone(), hash).equals(hash);
    }

}
