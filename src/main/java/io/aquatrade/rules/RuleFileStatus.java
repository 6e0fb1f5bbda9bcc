package io.aquatrade.rules;

/**
 * One rule file as the status API shows it.
 *
 * @param path      as the operator sees it, e.g. {@code rules/entries.drl}
 * @param sha256    hex SHA-256 of its bytes
 * @param sizeBytes its size
 */
public record RuleFileStatus(String path, String sha256, long sizeBytes) {

    static RuleFileStatus of(RuleFile f) {
        return new RuleFileStatus(f.displayPath(), f.sha256(), f.sizeBytes());
    }
}
