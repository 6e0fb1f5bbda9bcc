package io.aquatrade.config;

/** A configuration error; the message names the key and where the bad value came from. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * "{@code what} is not valid YAML (line L, column C): reason" — where the parser stopped, without echoing the
     * file's content (Jackson's own message quotes its source).
     */
    public static ConfigException notYaml(String what, com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        return new ConfigException(what + " is not valid YAML" + (at == null ? "" : " (line " + at.getLineNr()
                + ", column " + at.getColumnNr() + ")") + ": " + e.getOriginalMessage(), e);
    }
}
