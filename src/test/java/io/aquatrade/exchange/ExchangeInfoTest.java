package io.aquatrade.exchange;

import io.aquatrade.model.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static io.aquatrade.exchange.RealExchangeInfo.all2021;
import static io.aquatrade.exchange.RealExchangeInfo.ethbtc2025;
import static io.aquatrade.exchange.RealExchangeInfo.ethbtc2025With;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExchangeInfoTest {

    private static BigDecimal bd(String s) {
        return new BigDecimal(s);
    }

    // ---------------------------------------------------------------- rate limits from both files

    @Test
    void readsTheOld2021RateLimits() {
        assertThat(all2021().rateLimits()).containsExactly(
                new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.MINUTE, 1, 1200),
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 10, 50),
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.DAY, 1, 160_000),
                new RateLimit(RateLimit.Type.RAW_REQUESTS, RateLimit.Interval.MINUTE, 5, 6100));
        assertThat(all2021().unrecognizedRateLimits()).isEmpty();
    }

    @Test
    void readsTheCurrent2025RateLimits() {
        List<RateLimit> limits = ethbtc2025().rateLimits();
        assertThat(limits).containsExactly(
                new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.MINUTE, 1, 6000),
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 10, 100),
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.DAY, 1, 200_000),
                new RateLimit(RateLimit.Type.RAW_REQUESTS, RateLimit.Interval.MINUTE, 5, 61_000));
        assertThat(limits).extracting(RateLimit::windowMs).containsExactly(60_000L, 10_000L, 86_400_000L, 300_000L);
        assertThat(limits).extracting(RateLimit::usageHeader)
                .containsExactly("X-MBX-USED-WEIGHT-1M", "X-MBX-ORDER-COUNT-10S", "X-MBX-ORDER-COUNT-1D", null);
        assertThat(ethbtc2025().rateLimits(RateLimit.Type.ORDERS)).hasSize(2);
    }

    // ---------------------------------------------------------------- symbols, 2021 generation

    @Test
    void readsAll2021SymbolsWithTheirStatus() {
        ExchangeInfo info = all2021();
        assertThat(info.size()).isEqualTo(1695);
        assertThat(info.all().stream().filter(f -> f.info().isTrading()).count()).isEqualTo(1262);
        assertThat(info.tradingSymbolsQuotedIn("USDT")).hasSize(315).contains("BTCUSDT", "DOGEUSDT");
        assertThat(info.symbol("BCCUSDT")).get().extracting(SymbolInfo::status).isEqualTo("BREAK");
        assertThat(info.serverTimeMs()).isEqualTo(1633998511098L);
        assertThat(info.timezone()).isEqualTo("UTC");
        assertThat(info.unrecognizedFilterTypes()).isEmpty();
    }

    @Test
    void btcusdt2021HasTheOldFilterGeneration() {
        SymbolInfo btc = all2021().symbol("BTCUSDT").orElseThrow();
        assertThat(btc.baseAsset()).isEqualTo("BTC");
        assertThat(btc.quoteAsset()).isEqualTo("USDT");
        assertThat(btc.baseAssetPrecision()).isEqualTo(8);
        assertThat(btc.quoteAssetPrecision()).isEqualTo(8);
        assertThat(btc.quotePrecision()).isEqualTo(8);
        assertThat(btc.orderTypes()).containsExactly("LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT");
        assertThat(btc.allows(OrderType.MARKET)).isTrue();
        assertThat(btc.quoteOrderQtyMarketAllowed()).isTrue();
        assertThat(btc.spotTradingAllowed()).isTrue();

        assertThat(btc.filters()).extracting(SymbolFilter::filterType).containsExactly("PRICE_FILTER", "PERCENT_PRICE",
                "LOT_SIZE", "MIN_NOTIONAL", "ICEBERG_PARTS", "MARKET_LOT_SIZE", "MAX_NUM_ORDERS", "MAX_NUM_ALGO_ORDERS");
        assertThat(btc.filter(SymbolFilter.PriceFilter.class)).contains(
                new SymbolFilter.PriceFilter(bd("0.01000000"), bd("1000000.00000000"), bd("0.01000000")));
        assertThat(btc.filter(SymbolFilter.LotSize.class)).contains(
                new SymbolFilter.LotSize(bd("0.00001000"), bd("9000.00000000"), bd("0.00001000")));
        assertThat(btc.filter(SymbolFilter.MinNotional.class)).contains(
                new SymbolFilter.MinNotional(bd("10.00000000"), true, 5));
        assertThat(btc.filter(SymbolFilter.MarketLotSize.class)).contains(
                new SymbolFilter.MarketLotSize(bd("0.00000000"), bd("100.05381873"), bd("0.00000000")));
        assertThat(btc.filter(SymbolFilter.MaxNumOrders.class)).contains(new SymbolFilter.MaxNumOrders(200));
        assertThat(btc.filter(SymbolFilter.Notional.class)).isEmpty();

        assertThat(btc.filter(SymbolFilter.PercentPrice.class)).contains(new SymbolFilter.PercentPrice(bd("5"), bd("0.2"), 5));
        SymbolFilter.Unenforced iceberg = (SymbolFilter.Unenforced) btc.filter("ICEBERG_PARTS").orElseThrow();
        assertThat(iceberg.recognized()).isTrue();
        assertThat(iceberg.params()).containsExactlyEntriesOf(java.util.Map.of("limit", "10"));
    }

    @Test
    void leveragedTokensKeepTheirMaxPositionFilterUnenforced() {
        SymbolInfo up = all2021().symbol("BTCUPUSDT").orElseThrow();
        assertThat(up.quoteOrderQtyMarketAllowed()).isFalse();
        SymbolFilter.Unenforced maxPos = (SymbolFilter.Unenforced) up.filter("MAX_POSITION").orElseThrow();
        assertThat(maxPos.recognized()).isTrue();
        assertThat(maxPos.params()).containsEntry("maxPosition", "43.00000000");
    }

    // ---------------------------------------------------------------- symbols, 2025 generation

    @Test
    void ethbtc2025HasTheNotionalFilterAndTheNewUnenforcedOnes() {
        SymbolInfo eth = ethbtc2025().symbol("ETHBTC").orElseThrow();
        assertThat(eth.filter(SymbolFilter.Notional.class)).contains(new SymbolFilter.Notional(
                bd("0.00010000"), true, bd("9000000.00000000"), false, 5));
        assertThat(eth.filter(SymbolFilter.MinNotional.class)).isEmpty();
        assertThat(eth.filter(SymbolFilter.PriceFilter.class)).contains(
                new SymbolFilter.PriceFilter(bd("0.00001000"), bd("922327.00000000"), bd("0.00001000")));
        assertThat(eth.filter(SymbolFilter.LotSize.class)).contains(
                new SymbolFilter.LotSize(bd("0.00010000"), bd("100000.00000000"), bd("0.00010000")));
        assertThat(eth.filter(SymbolFilter.MarketLotSize.class)).contains(
                new SymbolFilter.MarketLotSize(bd("0.00000000"), bd("985.33449583"), bd("0.00000000")));
        assertThat(eth.orderTypes()).contains("STOP_LOSS", "TAKE_PROFIT");
        for (String type : List.of("TRAILING_DELTA", "ICEBERG_PARTS", "MAX_NUM_ALGO_ORDERS")) {
            assertThat(eth.filter(type)).get().isInstanceOfSatisfying(SymbolFilter.Unenforced.class,
                    u -> assertThat(u.recognized()).as(type).isTrue());
        }
        SymbolFilter.Unenforced trailing = (SymbolFilter.Unenforced) eth.filter("TRAILING_DELTA").orElseThrow();
        assertThat(trailing.params()).containsEntry("minTrailingAboveDelta", "10").containsEntry("maxTrailingBelowDelta", "2000");
        assertThat(eth.filter(SymbolFilter.PercentPriceBySide.class)).contains(
                new SymbolFilter.PercentPriceBySide(bd("5"), bd("0.2"), bd("5"), bd("0.2"), 5));
        assertThat(eth.filter(SymbolFilter.PercentPrice.class)).isEmpty();
        assertThat(ethbtc2025().unrecognizedFilterTypes()).isEmpty();
    }

    // ---------------------------------------------------------------- order-list flags (OCO / OTO)

    @Test
    void every2021SymbolTakesOcoListsAndNoneSaysOtoWhichThatDocumentPredates() {
        ExchangeInfo info = all2021();
        assertThat(info.all()).allSatisfy(f -> assertThat(f.info().ocoAllowed()).as(f.info().symbol()).isTrue());
        assertThat(info.all()).noneMatch(f -> f.info().otoAllowed());
        assertThat(ExchangeInfo.loadDefault().symbol("BTCUSDT")).get().extracting(SymbolInfo::ocoAllowed).isEqualTo(true);
    }

    @Test
    void ethbtc2025TakesOcoAndOtoLists() {
        SymbolInfo eth = ethbtc2025().symbol("ETHBTC").orElseThrow();
        assertThat(eth.ocoAllowed()).isTrue();
        assertThat(eth.otoAllowed()).isTrue();
    }

    @Test
    void aSymbolThatRefusesOcoOrSaysNothingTakesNoOcoList() {
        SymbolInfo refused = ExchangeInfo.parse(ethbtc2025With("\"ocoAllowed\":true", "\"ocoAllowed\":false"), "test")
                .symbol("ETHBTC").orElseThrow();
        assertThat(refused.ocoAllowed()).isFalse();
        assertThat(refused.otoAllowed()).isTrue();
        SymbolInfo silent = ExchangeInfo.parse(ethbtc2025With("\"ocoAllowed\":true,\"otoAllowed\":true,", ""), "test")
                .symbol("ETHBTC").orElseThrow();
        assertThat(silent.ocoAllowed()).isFalse();
        assertThat(silent.otoAllowed()).isFalse();
    }

    @Test
    void aNonBooleanOcoFlagIsRefusedNamingTheField() {
        assertRejected(ethbtc2025With("\"ocoAllowed\":true", "\"ocoAllowed\":\"true\""),
                "ETHBTC", "field 'ocoAllowed'", "true or false");
    }

    @Test
    void anUnknownFilterTypeIsKeptAndReported() {
        ExchangeInfo info = ExchangeInfo.parse(ethbtc2025With("{\"filterType\":\"MAX_NUM_ORDERS\",",
                "{\"filterType\":\"SHINY_NEW_FILTER\",\"x\":[1,2]},{\"filterType\":\"MAX_NUM_ORDERS\","), "test");
        assertThat(info.unrecognizedFilterTypes()).containsExactly("SHINY_NEW_FILTER");
        SymbolFilter.Unenforced f = (SymbolFilter.Unenforced) info.symbol("ETHBTC").orElseThrow()
                .filter("SHINY_NEW_FILTER").orElseThrow();
        assertThat(f.recognized()).isFalse();
        assertThat(f.params()).containsEntry("x", "[1,2]");
        assertThat(info.validate("ETHBTC", Side.BUY, OrderType.LIMIT, bd("0.02345"), bd("1"))).isEqualTo(OrderCheck.ok());
    }

    @Test
    void anUnknownRateLimitTypeIsKeptAsideNotThrottledBy() {
        ExchangeInfo info = ExchangeInfo.parse(ethbtc2025With("\"rateLimits\":[",
                "\"rateLimits\":[{\"rateLimitType\":\"CONNECTIONS\",\"interval\":\"MINUTE\",\"intervalNum\":5,\"limit\":300},"), "test");
        assertThat(info.rateLimits()).hasSize(4);
        assertThat(info.unrecognizedRateLimits()).singleElement().asString().contains("CONNECTIONS");
    }

    @Test
    void anUnknownSymbolIsInvalidSymbolAsFromBinance() {
        OrderCheck c = all2021().validate("NOPEUSDT", Side.BUY, OrderType.MARKET, bd("1"), bd("1"));
        assertThat(c.rejection()).isEqualTo(new BinanceError(-1121, "Invalid symbol."));
        assertThat(c.detail()).contains("NOPEUSDT");
    }

    // ---------------------------------------------------------------- loading

    @Test
    void loadsPlainAndGzippedFiles(@TempDir Path dir) throws IOException {
        String json = RealExchangeInfo.text(RealExchangeInfo.FILE_2025);
        Path plain = dir.resolve("info.json");
        Files.writeString(plain, json);
        Path gz = dir.resolve("info.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        for (Path p : List.of(plain, gz)) {
            ExchangeInfo info = ExchangeInfo.load(p);
            assertThat(info.source()).isEqualTo(p.toString());
            assertThat(info.symbol("ETHBTC")).isEqualTo(ethbtc2025().symbol("ETHBTC"));
            assertThat(info.rateLimits()).isEqualTo(ethbtc2025().rateLimits());
        }
    }

    @Test
    void aMissingFileIsAnIoErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ExchangeInfo.load(missing)).hasMessageContaining(missing.toString());
    }

    // ---------------------------------------------------------------- malformed input

    private static void assertRejected(String json, String... fragments) {
        assertThatThrownBy(() -> ExchangeInfo.parse(json, "bad.json"))
                .isInstanceOf(ExchangeInfoFormatException.class)
                .hasMessageContaining("bad.json")
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    @Test
    void aGarbledDecimalNamesSymbolFilterAndField() {
        assertRejected(ethbtc2025With("\"stepSize\":\"0.00010000\"", "\"stepSize\":\"abc\""),
                "symbols[0] ETHBTC", "LOT_SIZE", "field 'stepSize'", "\"abc\"");
    }

    @Test
    void aMissingFieldNamesSymbolAndField() {
        assertRejected(ethbtc2025With("\"baseAsset\":\"ETH\",", ""), "ETHBTC", "field 'baseAsset'", "missing");
        assertRejected(ethbtc2025With("\"minNotional\":\"0.00010000\",", ""), "ETHBTC", "NOTIONAL", "field 'minNotional'", "missing");
    }

    @Test
    void aNonBooleanFlagIsRefused() {
        assertRejected(ethbtc2025With("\"applyMinToMarket\":true", "\"applyMinToMarket\":\"yes\""),
                "ETHBTC", "NOTIONAL", "field 'applyMinToMarket'", "true or false");
    }

    @Test
    void aNegativeTickIsRefused() {
        assertRejected(ethbtc2025With("\"tickSize\":\"0.00001000\"", "\"tickSize\":\"-0.00001\""),
                "ETHBTC", "PRICE_FILTER", "field 'tickSize'", "negative");
    }

    @Test
    void minAboveMaxIsRefused() {
        assertRejected(ethbtc2025With("\"maxQty\":\"100000.00000000\"", "\"maxQty\":\"0.00001\""),
                "ETHBTC", "LOT_SIZE", "minQty 0.0001", "maxQty 0.00001");
    }

    @Test
    void aDuplicateFilterIsRefused() {
        assertRejected(ethbtc2025With("{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":200}",
                        "{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":200},{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":5}"),
                "ETHBTC", "MAX_NUM_ORDERS", "more than once");
    }

    @Test
    void aDuplicateSymbolIsRefused() {
        String one = RealExchangeInfo.text(RealExchangeInfo.FILE_2025);
        int start = one.indexOf("{\"symbol\":\"ETHBTC\"");
        String symbol = one.substring(start, one.lastIndexOf("]}"));
        assertRejected(one.replace("\"symbols\":[" + symbol, "\"symbols\":[" + symbol + "," + symbol),
                "symbols[1] ETHBTC", "more than once");
    }

    @Test
    void anUnknownIntervalIsRefused() {
        assertRejected(ethbtc2025With("\"interval\":\"MINUTE\"", "\"interval\":\"FORTNIGHT\""),
                "rateLimits[0]", "REQUEST_WEIGHT", "field 'interval'", "FORTNIGHT");
    }

    @Test
    void aZeroLimitIsRefused() {
        assertRejected(ethbtc2025With("\"limit\":6000", "\"limit\":0"), "rateLimits[0]", "field 'limit'");
    }

    @Test
    void missingSymbolsOrRateLimitsAreRefused() {
        assertRejected("{\"rateLimits\":[]}", "field 'symbols'", "missing");
        assertRejected("{\"symbols\":[]}", "field 'rateLimits'", "missing");
        assertRejected("[1,2]", "not a JSON object");
    }

    @Test
    void invalidJsonNamesLineAndColumn() {
        String truncated = "{\"timezone\":\"UTC\",\n\"rateLimits\":[\n{\"rateLimitType\":";
        assertRejected(truncated, "not valid JSON", "line 3");
        assertRejected("{\"symbols\":[],\"symbols\":[],\"rateLimits\":[]}", "not valid JSON", "symbols");
    }
}
