package dev.lookout.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Scheme {
    @JsonProperty("http") HTTP,
    @JsonProperty("https") HTTPS;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
