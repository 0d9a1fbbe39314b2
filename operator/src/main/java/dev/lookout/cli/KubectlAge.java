package dev.lookout.cli;

import java.time.Duration;

/**
 * An age as {@code kubectl get} prints it in its AGE column (apimachinery's {@code HumanDuration}):
 * {@code 45s}, {@code 3m20s}, {@code 25m}, {@code 3h5m}, {@code 20h}, {@code 4d2h}, {@code 30d},
 * {@code 2y15d}: more precision while the age is small, so the same resource reads the same in both tools.
 */
final class KubectlAge {
    private KubectlAge() {
    }

    static String of(Duration d) {
        long seconds = d.isNegative() ? -d.negated().getSeconds() : d.getSeconds(); // truncated toward zero, as Go does
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = (hours / 24) % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
