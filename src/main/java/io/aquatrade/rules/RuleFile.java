package io.aquatrade.rules;

import java.nio.file.Path;

/**
 * One {@code .drl} file of a compiled rule set, as it was on disk when compiled.
 *
 * @param displayPath the path as the operator sees it, e.g. {@code rules/entries.drl}
 * @param path        the absolute path read
 * @param sha256      hex SHA-256 of the file's bytes
 * @param sizeBytes   the file's size
 */
public record RuleFile(String displayPath, Path path, String sha256, long sizeBytes) {
}
