/**
 * The bot's configuration: every key with its type, default, bounds and meaning ({@link ConfigKeys}),
 * loading from {@code config/aquatrade.yaml}, {@code --set KEY=VALUE} overrides, and validation that
 * fails at start with a message naming the key. Secrets are never read from here.
 */
package io.aquatrade.config;
