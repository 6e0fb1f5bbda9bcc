package io.aquatrade.market.live;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamSettingsTest {

    @Test
    void defaultsMatchBinanceLimits() {
        StreamSettings s = StreamSettings.of(List.of("BTCUSDT", "ethusdt"));
        assertThat(s.baseUrl()).isEqualTo("wss://stream.binance.com:9443");
        assertThat(s.rotateAfterMs()).isEqualTo((23 * 60 + 50) * 60_000L);
        assertThat(s.maxStreamsPerConnection()).isEqualTo(1024);
        assertThat(s.streamNames()).containsExactly("btcusdt@aggTrade", "btcusdt@bookTicker", "btcusdt@kline_1m",
                "ethusdt@aggTrade", "ethusdt@bookTicker", "ethusdt@kline_1m");
        assertThat(s.connectionStreams()).hasSize(1);
        assertThat(s.urlOf(s.connectionStreams().get(0))).isEqualTo("wss://stream.binance.com:9443/stream?streams="
                + "btcusdt@aggTrade/btcusdt@bookTicker/btcusdt@kline_1m/ethusdt@aggTrade/ethusdt@bookTicker/ethusdt@kline_1m");
    }

    @Test
    void moreThan1024StreamsAreSplit() {
        List<String> symbols = java.util.stream.IntStream.range(0, 400).mapToObj(i -> "SYM" + i).toList();
        List<List<String>> groups = StreamSettings.of(symbols).connectionStreams(); // 1200 streams
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).hasSize(1024);
        assertThat(groups.get(1)).hasSize(176).startsWith("sym341@bookTicker");
    }

    @Test
    void badSettingsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> StreamSettings.of(List.of())).hasMessageContaining("symbols");
        assertThatThrownBy(() -> StreamSettings.of(List.of("BTC/USDT"))).hasMessageContaining("BTC/USDT");
        assertThatThrownBy(() -> StreamSettings.of(List.of("BTCUSDT")).withBaseUrl("https://x")).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> StreamSettings.of(List.of("BTCUSDT")).withMaxStreamsPerConnection(1025))
                .hasMessageContaining("maxStreamsPerConnection");
        assertThatThrownBy(() -> StreamSettings.of(List.of("BTCUSDT")).withRotateAfterMs(25 * 3_600_000L))
                .hasMessageContaining("rotateAfterMs");
        assertThatThrownBy(() -> StreamSettings.of(List.of("BTCUSDT")).withReconnect(500, 100))
                .hasMessageContaining("reconnectMaxMs");
        assertThatThrownBy(() -> StreamSettings.of(List.of("BTCUSDT")).withStaleAfterMs(0)).hasMessageContaining("staleAfterMs");
    }
}
