package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.aquatrade.market.BinanceStreamParser.Outcome.EVENT;
import static io.aquatrade.market.BinanceStreamParser.Outcome.MALFORMED;
import static io.aquatrade.market.BinanceStreamParser.Outcome.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages are real ones from the captures in shared/data/ticks unless a test says it altered them. */
class BinanceStreamParserTest {
    private final BinanceStreamParser parser = new BinanceStreamParser();

    // btcusdt_ws-capture_2023-04-05, line 1
    private static final String TRADE = "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652800000,"
            + "\"s\":\"BTCUSDT\",\"t\":3071245454,\"p\":\"28165.47000000\",\"q\":\"0.00056000\",\"b\":20720542158,"
            + "\"a\":20720542592,\"T\":1680652799999,\"m\":true,\"M\":true}}";
    // btcusdt_ws-capture_2024-08-08: a trade without b/a as the current docs describe
    private static final String TRADE_2024 = "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161255343,"
            + "\"s\":\"BTCUSDT\",\"t\":3735683259,\"p\":\"61837.63000000\",\"q\":\"0.02000000\",\"T\":1723161255342,"
            + "\"m\":true,\"M\":true}}";
    // multi-symbol_ws-capture_2021-10-12
    private static final String AGG_TRADE = "{\"stream\":\"nknusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1633998523963,"
            + "\"s\":\"NKNUSDT\",\"a\":15683430,\"p\":\"0.35280000\",\"q\":\"58.00000000\",\"f\":19862790,\"l\":19862790,"
            + "\"T\":1633998523963,\"m\":false,\"M\":true}}";
    private static final String BOOK_TICKER = "{\"stream\":\"nknusdt@bookTicker\",\"data\":{\"u\":499869768,\"s\":\"NKNUSDT\","
            + "\"b\":\"0.35210000\",\"B\":\"672.00000000\",\"a\":\"0.35260000\",\"A\":\"3199.00000000\"}}";
    private static final String KLINE_OPEN = "{\"stream\":\"nknusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1633998523963,"
            + "\"s\":\"NKNUSDT\",\"k\":{\"t\":1633998480000,\"T\":1633998539999,\"s\":\"NKNUSDT\",\"i\":\"1m\",\"f\":19862761,"
            + "\"L\":19862790,\"o\":\"0.35270000\",\"c\":\"0.35280000\",\"h\":\"0.35280000\",\"l\":\"0.35220000\","
            + "\"v\":\"25877.00000000\",\"n\":30,\"x\":false,\"q\":\"9116.04600000\",\"V\":\"58.00000000\","
            + "\"Q\":\"20.46240000\",\"B\":\"0\"}}}";
    private static final String DEPTH = "{\"stream\":\"nknusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\","
            + "\"E\":1633998512068,\"s\":\"NKNUSDT\",\"U\":499869750,\"u\":499869752,\"b\":[[\"0.35130000\","
            + "\"6195.00000000\"],[\"0.34750000\",\"5548.00000000\"]],\"a\":[]}}";

    @Test
    void tradeUsesTradeTimeNotEventTime() {
        assertThat(parser.parse(TRADE, 1L)).isEqualTo(EVENT);
        assertThat(parser.event()).isEqualTo(new TradeTick("BTCUSDT", 1680652799999L, Decimals.parseE8("28165.47"),
                Decimals.parseE8("0.00056"), true));
        assertThat(parser.exchangeTimeMs()).isEqualTo(1680652800000L);

        assertThat(parser.parse(TRADE_2024, 1L)).isEqualTo(EVENT);
        assertThat(parser.event()).isEqualTo(new TradeTick("BTCUSDT", 1723161255342L, Decimals.parseE8("61837.63"),
                Decimals.parseE8("0.02"), true));
    }

    @Test
    void aggTradeKeepsLowerCaseMSeparateFromUpperCaseM() {
        // "m":false (buyer is not the maker) and "M":true must not be confused
        assertThat(parser.parse(AGG_TRADE, 1L)).isEqualTo(EVENT);
        assertThat(parser.event()).isEqualTo(new TradeTick("NKNUSDT", 1633998523963L, Decimals.parseE8("0.3528"),
                Decimals.parseE8("58"), false));
    }

    @Test
    void bookTickerTakesTheReceiveTime() {
        assertThat(parser.parse(BOOK_TICKER, 1633998513377L)).isEqualTo(EVENT);
        assertThat(parser.event()).isEqualTo(new QuoteTick("NKNUSDT", 1633998513377L, Decimals.parseE8("0.3521"),
                Decimals.parseE8("672"), Decimals.parseE8("0.3526"), Decimals.parseE8("3199")));
        assertThat(parser.exchangeTimeMs()).isEqualTo(BinanceStreamParser.NO_TIME);

        assertThat(parser.parse(BOOK_TICKER, BinanceStreamParser.NO_RECEIVE_TIME)).isEqualTo(MALFORMED);
        assertThat(parser.error()).isEqualTo("bookTicker carries no event time and no receive time was given");
    }

    @Test
    void openKlineIsStampedWithEventTimeAndClosedKlineWithItsCloseTime() {
        assertThat(parser.parse(KLINE_OPEN, 1L)).isEqualTo(EVENT);
        assertThat(parser.event()).isEqualTo(new Candle("NKNUSDT", 1633998480000L, 60_000, Decimals.parseE8("0.3527"),
                Decimals.parseE8("0.3528"), Decimals.parseE8("0.3522"), Decimals.parseE8("0.3528"),
                Decimals.parseE8("25877"), false, 1633998523963L));

        // the captures hold no closed kline; the same message with x=true stands in for one
        assertThat(parser.parse(KLINE_OPEN.replace("\"x\":false", "\"x\":true"), 1L)).isEqualTo(EVENT);
        Candle closed = (Candle) parser.event();
        assertThat(closed.closed()).isTrue();
        assertThat(closed.timeMs()).isEqualTo(1633998539999L);
        assertThat(closed.closeTimeMs()).isEqualTo(1633998539999L);
    }

    @Test
    void depthAndOtherStreamsAreSkippedByType() {
        assertThat(parser.parse(DEPTH, 1L)).isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isEqualTo("depth@100ms");
        assertThat(parser.event()).isNull();

        assertThat(parser.parse("{\"stream\":\"btcusdt@miniTicker\",\"data\":{\"e\":\"24hrMiniTicker\"}}", 1L)).isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isEqualTo("miniTicker");
        assertThat(parser.parse("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":1}}", 1L)).isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isEqualTo(BinanceStreamParser.SERVER_SHUTDOWN);
        assertThat(parser.parse("{\"result\":null,\"id\":1}", 1L)).isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isEqualTo(BinanceStreamParser.CONTROL_REPLY);
        assertThat(parser.parse("{\"lastUpdateId\":50093239218,\"bids\":[[\"61837.63000000\",\"3.78826000\"]],\"asks\":[]}", 1L))
                .isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isEqualTo(BinanceStreamParser.DEPTH_SNAPSHOT);
    }

    @Test
    void skippedStreamsCanBeReadUpToTheirEventTimeForClockEstimation() {
        BinanceStreamParser scanning = new BinanceStreamParser().scanSkippedForEventTime(true);
        assertThat(scanning.parse(DEPTH, 1L)).isEqualTo(SKIPPED);
        assertThat(scanning.exchangeTimeMs()).isEqualTo(1633998512068L);
        assertThat(scanning.skippedType()).isEqualTo("depth@100ms");
        // without scanning, the stream name alone settles it (a byte-level fast path) with the same type
        assertThat(parser.parse(DEPTH, 1L)).isEqualTo(SKIPPED);
        String type = parser.skippedType();
        assertThat(type).isEqualTo("depth@100ms");
        assertThat(parser.exchangeTimeMs()).isEqualTo(BinanceStreamParser.NO_TIME);
        assertThat(parser.parse(DEPTH, 2L)).isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isSameAs(type); // canonical: no String per skipped message
    }

    @Test
    void rawSingleStreamPayloadsParseLikeCombinedOnes() {
        String rawTrade = TRADE.substring(TRADE.indexOf("\"data\":") + 7, TRADE.length() - 1);
        assertThat(parser.parse(rawTrade, 1L)).isEqualTo(EVENT);
        assertThat(parser.event().timeMs()).isEqualTo(1680652799999L);
        String rawQuote = BOOK_TICKER.substring(BOOK_TICKER.indexOf("\"data\":") + 7, BOOK_TICKER.length() - 1);
        assertThat(parser.parse(rawQuote, 1633998513377L)).isEqualTo(EVENT);
        assertThat(parser.event()).isInstanceOf(QuoteTick.class);
        String rawDepth = DEPTH.substring(DEPTH.indexOf("\"data\":") + 7, DEPTH.length() - 1);
        assertThat(parser.parse(rawDepth, 1L)).isEqualTo(SKIPPED);
        assertThat(parser.skippedType()).isEqualTo("depthUpdate");
    }

    @Test
    void microsecondTimesAreConvertedToMilliseconds() {
        // a stream opened with timeUnit=MICROSECOND
        String us = AGG_TRADE.replace("\"T\":1633998523963", "\"T\":1633998523963417");
        assertThat(parser.parse(us, 1L)).isEqualTo(EVENT);
        assertThat(parser.event().timeMs()).isEqualTo(1633998523963L);
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertMalformed("not json at all", "invalid JSON: ");
        assertMalformed("[1,2]", "not a JSON object");
        assertMalformed(TRADE.substring(0, TRADE.length() - 3), "invalid JSON: ");
        assertMalformed(TRADE + "x", "invalid JSON: ");
        assertMalformed(TRADE.replace("\"p\":\"28165.47000000\"", "\"p\":\"28l65.47\""), "field 'p' is not a number: '28l65.47'");
        assertMalformed(TRADE.replace("\"p\":\"28165.47000000\"", "\"p\":28165.47"), "field 'p' is not a decimal string: '28165.47'");
        assertMalformed(TRADE.replace("\"T\":1680652799999,", ""), "trade without field 'T'");
        assertMalformed(TRADE.replace("\"m\":true", "\"m\":\"yes\""), "field 'm' is not a boolean");
        assertMalformed(TRADE.replace("\"q\":\"0.00056000\"", "\"q\":\"0\""), "trade field 'q' is not a positive quantity: 0");
        assertMalformed(TRADE.replace("\"e\":\"trade\"", "\"e\":\"aggTrade\""), "stream of type trade carries event type aggTrade");
        assertMalformed(BOOK_TICKER.replace("\"A\":\"3199.00000000\"", "\"X\":\"1\""), "bookTicker without field 'A'");
        assertMalformed(KLINE_OPEN.replace("\"h\":\"0.35280000\",", ""), "kline without field 'k.h'");
        assertMalformed("{\"stream\":\"btcusdt@\",\"data\":{}}", "stream name without a type: 'btcusdt@'");
        assertMalformed("{\"foo\":1}", "unrecognised message (no 'e' event type)");
        assertMalformed("{\"stream\":\"btcusdt@trade\",\"data\":[1]}", "field 'data' is not an object");
        // a corrupted time (here ms of the year 2500) would wreck the ordering of everything after it
        assertMalformed(TRADE.replace("\"T\":1680652799999", "\"T\":16806527999990"), "field 'T' is not a plausible time: 16806527999990 ms");
        assertThat(parser.parse(BOOK_TICKER, 1633998513L)).isEqualTo(MALFORMED); // seconds passed as ms
        assertThat(parser.error()).isEqualTo("receive time is not a plausible time: 1633998513 ms");
    }

    /** Impossible quotes and candles never become events; each is malformed with its kind. Real lines, one field altered. */
    @Test
    void impossibleMarketDataIsMalformedWithItsReason() {
        long rx = 1633998523957L; // the capture's receive time of these lines
        assertRejected(BOOK_TICKER.replace("\"a\":\"0.35260000\"", "\"a\":\"0.00000000\""), rx,
                BinanceStreamParser.NON_POSITIVE_PRICE, "ask");
        assertRejected(BOOK_TICKER.replace("\"b\":\"0.35210000\"", "\"b\":\"-1\""), rx,
                BinanceStreamParser.NON_POSITIVE_PRICE, "bid");
        assertRejected(BOOK_TICKER.replace("\"b\":\"0.35210000\"", "\"b\":\"0.00000000\""), rx,
                BinanceStreamParser.NON_POSITIVE_PRICE, "bid");
        assertRejected(BOOK_TICKER.replace("\"B\":\"672.00000000\"", "\"B\":\"-672\""), rx,
                BinanceStreamParser.NEGATIVE_QUANTITY, "negative");
        // a crossed book: bid 90,000 on a 28,160 market made take-profit fills at 90,000
        assertRejected(BOOK_TICKER.replace("\"b\":\"0.35210000\"", "\"b\":\"0.90000000\""), rx,
                BinanceStreamParser.CROSSED_BOOK, "crossed");
        assertRejected(BOOK_TICKER.replace("\"b\":\"0.35210000\"", "\"b\":\"0.35260000\""), rx,
                BinanceStreamParser.CROSSED_BOOK, "crossed");
        assertRejected(KLINE_OPEN.replace("\"h\":\"0.35280000\"", "\"h\":\"0.35000000\""), rx,
                BinanceStreamParser.CANDLE_RANGE, "high 0.35");
        assertRejected(KLINE_OPEN.replace("\"c\":\"0.35280000\"", "\"c\":\"0.36000000\""), rx,
                BinanceStreamParser.CANDLE_RANGE, "close 0.36");
        assertRejected(KLINE_OPEN.replace("\"l\":\"0.35220000\"", "\"l\":\"-0.35220000\""), rx,
                BinanceStreamParser.NON_POSITIVE_PRICE, "l=-0.3522");
        assertRejected(KLINE_OPEN.replace("\"o\":\"0.35270000\"", "\"o\":\"0\""), rx,
                BinanceStreamParser.NON_POSITIVE_PRICE, "o=0");
        // dated 2099 (4070908800000 = 2099-01-01): every later event would look late
        assertRejected(AGG_TRADE.replace("\"T\":1633998523963", "\"T\":4070908800000"), rx,
                BinanceStreamParser.IMPLAUSIBLE_TIME, "field 'T'");
        assertRejected(AGG_TRADE.replace("\"E\":1633998523963", "\"E\":4070908800000"), rx,
                BinanceStreamParser.IMPLAUSIBLE_TIME, "field 'E'");
        assertRejected(KLINE_OPEN.replace("\"E\":1633998523963", "\"E\":4070908800000"), rx,
                BinanceStreamParser.IMPLAUSIBLE_TIME, "field 'E'");
        assertRejected(KLINE_OPEN.replace("\"t\":1633998480000", "\"t\":4070908800000")
                .replace("\"T\":1633998539999", "\"T\":4070908859999"), rx, BinanceStreamParser.IMPLAUSIBLE_TIME, "k.t");
        assertRejected(AGG_TRADE.replace("\"s\":\"NKNUSDT\"", "\"s\":\"BTCUSDT\""), rx,
                BinanceStreamParser.SYMBOL_MISMATCH, "BTCUSDT");
        assertRejected(BOOK_TICKER.replace("\"s\":\"NKNUSDT\"", "\"s\":\"ETHUSDT\""), rx,
                BinanceStreamParser.SYMBOL_MISMATCH, "nknusdt");
        assertRejected(KLINE_OPEN.replace("\"s\":\"NKNUSDT\",\"k\"", "\"s\":\"ZILUSDT\",\"k\""), rx,
                BinanceStreamParser.SYMBOL_MISMATCH, "ZILUSDT");
    }

    @Test
    void theFutureSkewIsConfigurableAndTheRealLinesPass() {
        long rx = 1633998523957L;
        assertThat(parser.parse(AGG_TRADE, rx)).isEqualTo(EVENT); // T is 6 ms after the receive time
        assertThat(parser.parse(KLINE_OPEN, rx)).isEqualTo(EVENT); // an open kline's close time is in the future
        assertThat(parser.parse(BOOK_TICKER, rx)).isEqualTo(EVENT);
        String inTwoMinutes = AGG_TRADE.replace("\"T\":1633998523963", "\"T\":1633998643963");
        assertThat(parser.parse(inTwoMinutes, rx)).isEqualTo(MALFORMED);
        parser.maxFutureSkewMs(300_000);
        assertThat(parser.parse(inTwoMinutes, rx)).isEqualTo(EVENT);
        parser.maxFutureSkewMs(0);
        assertThat(parser.parse(AGG_TRADE, rx)).isEqualTo(MALFORMED);
        assertThat(parser.errorCode()).isEqualTo(BinanceStreamParser.IMPLAUSIBLE_TIME);
    }

    private void assertRejected(String message, long receiveMs, String code, String errorPart) {
        assertThat(parser.parse(message, receiveMs)).as(message).isEqualTo(MALFORMED);
        assertThat(parser.errorCode()).as(parser.error()).isEqualTo(code);
        assertThat(parser.error()).contains(errorPart);
        assertThat(parser.event()).isNull();
    }

    @Test
    void theParserIsReusableAcrossOutcomes() {
        assertThat(parser.parse("garbage", 1L)).isEqualTo(MALFORMED);
        assertThat(parser.parse(DEPTH, 1L)).isEqualTo(SKIPPED);
        assertThat(parser.error()).isNull();
        assertThat(parser.parse(TRADE, 1L)).isEqualTo(EVENT);
        assertThat(parser.skippedType()).isNull();
        byte[] bytes = ("12345 " + AGG_TRADE + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(bytes, 6, AGG_TRADE.length(), 1L)).isEqualTo(EVENT);
        assertThat(parser.event().symbol()).isEqualTo("NKNUSDT");
        // symbols are canonical: no new String per message
        assertThat(parser.parse(AGG_TRADE, 2L)).isEqualTo(EVENT);
        String first = parser.event().symbol();
        assertThat(parser.parse(AGG_TRADE, 3L)).isEqualTo(EVENT);
        assertThat(parser.event().symbol()).isSameAs(first);
    }

    @Property
    void anyAggTradeRoundTrips(@ForAll @LongRange(min = 1, max = 99_999_999_999_999L) long priceE8,
                              @ForAll @LongRange(min = 1, max = 9_999_999_999_999_999L) long qtyE8,
                              @ForAll @LongRange(min = 1_500_000_000_000L, max = 4_000_000_000_000L) long timeMs,
                              @ForAll boolean buyerMaker, @ForAll boolean micros) {
        String json = "{\"stream\":\"ethusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + (timeMs + 1)
                + ",\"s\":\"ETHUSDT\",\"a\":1,\"p\":\"" + Decimals.toBigDecimal(priceE8).toPlainString()
                + "\",\"q\":\"" + Decimals.toBigDecimal(qtyE8).toPlainString() + "\",\"f\":1,\"l\":2,\"T\":"
                + (micros ? timeMs * 1000 + 999 : timeMs) + ",\"m\":" + buyerMaker + ",\"M\":true}}";
        assertThat(parser.parse(json, 0L)).isEqualTo(EVENT);
        assertThat(parser.event()).isEqualTo(new TradeTick("ETHUSDT", timeMs, priceE8, qtyE8, buyerMaker));
    }

    private void assertMalformed(String message, String errorStart) {
        assertThat(parser.parse(message, 1L)).as(message).isEqualTo(MALFORMED);
        assertThat(parser.error()).as(message).startsWith(errorStart);
        assertThat(parser.event()).isNull();
    }

    @Test
    void pepeAndBttcQuantitiesBeyondALongInE8AreParsedNotRejected() {
        // a 1.5e11 PEPE aggTrade (~1.2 M USDT), a 3e12 BTTC best bid, and a 1.8e12 PEPE one-minute kline volume
        String agg = "{\"stream\":\"pepeusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1733011200005,"
                + "\"s\":\"PEPEUSDT\",\"a\":1,\"p\":\"0.00000810\",\"q\":\"150000000000.00\",\"f\":1,\"l\":9,"
                + "\"T\":1733011200001,\"m\":false,\"M\":true}}";
        assertThat(parser.parse(agg, 1L)).isEqualTo(EVENT);
        TradeTick t = (TradeTick) parser.event();
        assertThat(Decimals.volumeToBigDecimal(t.qtyE8())).isEqualByComparingTo("150000000000");
        String book = "{\"stream\":\"bttcusdt@bookTicker\",\"data\":{\"u\":7,\"s\":\"BTTCUSDT\","
                + "\"b\":\"0.00000061\",\"B\":\"3000000000000.00\",\"a\":\"0.00000062\",\"A\":\"2500000000000.00\"}}";
        assertThat(parser.parse(book, 1733011200000L)).isEqualTo(EVENT);
        assertThat(Decimals.volumeToBigDecimal(((QuoteTick) parser.event()).bidQtyE8())).isEqualByComparingTo("3000000000000");
        String kline = "{\"stream\":\"pepeusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1733011260001,"
                + "\"s\":\"PEPEUSDT\",\"k\":{\"t\":1733011200000,\"T\":1733011259999,\"s\":\"PEPEUSDT\",\"i\":\"1m\","
                + "\"f\":1,\"L\":2,\"o\":\"0.00000810\",\"c\":\"0.00000811\",\"h\":\"0.00000812\",\"l\":\"0.00000809\","
                + "\"v\":\"1843026331874.00\",\"n\":9000,\"x\":true,\"q\":\"14928513.29\",\"V\":\"900000000000.00\","
                + "\"Q\":\"7290000.00\",\"B\":\"0\"}}}";
        assertThat(parser.parse(kline, 1L)).isEqualTo(EVENT);
        assertThat(Decimals.volumeToBigDecimal(((Candle) parser.event()).volumeE8())).isEqualByComparingTo("1843026331874");
    }

    @Test
    void eachEventCarriesTheExchangesSequenceNumberOfItsStream() {
        BinanceStreamParser p = new BinanceStreamParser();
        // an older @trade payload still has the buyer's and seller's order ids "b" and "a": the trade id is "t"
        assertThat(p.parse("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652800000,\"s\":\"BTCUSDT\","
                + "\"t\":3071245454,\"p\":\"28165.47\",\"q\":\"0.00056\",\"b\":20720542158,\"a\":20720542592,"
                + "\"T\":1680652799999,\"m\":true,\"M\":true}}", 1680652800004L)).isEqualTo(EVENT);
        assertThat(p.sequenceId()).isEqualTo(3071245454L);
        assertThat(p.eventStreamType()).isEqualTo("trade");
        assertThat(p.parse("{\"e\":\"aggTrade\",\"E\":1680652800000,\"s\":\"BTCUSDT\",\"a\":12345,\"p\":\"1.0\","
                + "\"q\":\"2.0\",\"f\":100,\"l\":105,\"T\":1680652800000,\"m\":false,\"M\":true}", 1680652800004L)).isEqualTo(EVENT);
        assertThat(p.sequenceId()).isEqualTo(12345L);
        assertThat(p.eventStreamType()).isEqualTo("aggTrade");
        assertThat(p.parse("{\"u\":36090299876,\"s\":\"BTCUSDT\",\"b\":\"28165.47\",\"B\":\"7.9\",\"a\":\"28165.48\","
                + "\"A\":\"3.2\"}", 1680652800004L)).isEqualTo(EVENT);
        assertThat(p.sequenceId()).isEqualTo(36090299876L);
        assertThat(p.parse("not json", 1680652800004L)).isEqualTo(MALFORMED);
        assertThat(p.sequenceId()).isEqualTo(-1);
    }
}
