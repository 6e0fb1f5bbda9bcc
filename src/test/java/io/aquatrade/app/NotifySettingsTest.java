package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad webhook URL stops the start naming where it came from, and shows no more of it than scheme and host. */
class NotifySettingsTest {

    private static final String MALFORMED = "https://api.telegram.org/bot123:SECRETTOKEN x/sendMessage";

    @Test
    void aMalformedUrlFromTheEnvironmentNamesTheVariableNotTheToken() {
        AquatradeConfig config = AquatradeConfig.load(null, List.of());
        assertThatThrownBy(() -> TradingRun.notifierSettings(config, "live", Map.of("AQUATRADE_NOTIFY_URL", MALFORMED)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AQUATRADE_NOTIFY_URL")
                .hasMessageContaining("notify.url_env").hasMessageContaining("https://api.telegram.org/")
                .hasMessageNotContaining("SECRETTOKEN").hasMessageNotContaining("sendMessage");
    }

    @Test
    void aMalformedUrlInTheConfigNamesTheKeyAndWhereItWasSet() {
        AquatradeConfig config = AquatradeConfig.load(null, List.of("notify.url=" + MALFORMED));
        assertThatThrownBy(() -> TradingRun.notifierSettings(config, "live", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("notify.url (--set)")
                .hasMessageNotContaining("SECRETTOKEN");
        // reports show the key by scheme and host only
        AquatradeConfig set = AquatradeConfig.load(null, List.of("notify.url=https://api.telegram.org/bot123:SECRETTOKEN/x"));
        assertThat(TradingRun.shownConfig(set)).containsEntry("notify.url", "https://api.telegram.org/…");
        assertThat(ReplaySetup.overrides(set).get("notify.url")).startsWith("https://api.telegram.org/…")
                .doesNotContain("SECRETTOKEN");
        // a good one is taken as it is
        assertThat(TradingRun.notifierSettings(AquatradeConfig.load(null, List.of()), "live",
                Map.of("AQUATRADE_NOTIFY_URL", "https://hooks.example/abc")).url()).isEqualTo("https://hooks.example/abc");
    }

    @Test
    void telegramWithoutAChatIdIsRefusedNamingBothKeysAndWhereTheyWereSet() {
        AquatradeConfig config = AquatradeConfig.load(null, List.of("notify.format=telegram"));
        assertThatThrownBy(() -> TradingRun.notifierSettings(config, "live",
                Map.of("AQUATRADE_NOTIFY_URL", "https://api.telegram.org/bot123:SECRETTOKEN/sendMessage")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("notify.format telegram (--set) needs notify.telegram_chat_id (default: empty), the chat the "
                        + "bot posts to")
                .hasMessageNotContaining("SECRETTOKEN");
    }
}
