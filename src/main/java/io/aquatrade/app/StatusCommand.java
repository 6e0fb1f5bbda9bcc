package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.report.Formats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;

/** {@code status}: what a running bot is doing, from its status API. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a running bot's state: kill switch, equity, PnL, exposure, positions, pauses, rules.",
                "%nReads GET /api/status of the bot (the demo, a replay with --http-port, a container). Reading "
                        + "needs no token; a token, when given, is sent as the control API's bearer token.%n"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the bot answered (its state is printed)",
                "1:the bot could not be reached or gave no status",
                "2:bad command line or configuration"})
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BotClient.Options botOptions = new BotClient.Options();

    @Option(names = "--json", description = "Print the status API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BotClient bot = botOptions.connect();
        HttpResponse<String> resp;
        try {
            resp = bot.get("/api/status");
        } catch (BotClient.Unreachable e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        JsonNode s;
        try {
            s = new ObjectMapper().readTree(resp.body());
        } catch (Exception e) {
            s = null;
        }
        if (resp.statusCode() != 200 || s == null || !s.has("killSwitch")) {
            err.println("error: " + bot.base() + "/api/status answered HTTP " + resp.statusCode()
                    + " without a bot status: is that address an Aquatrade bot?");
            err.flush();
            return 1;
        }
        if (json) {
            out.println(resp.body());
        } else {
            print(out, bot, s);
        }
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, BotClient bot, JsonNode s) {
        String phase = s.path("phase").asText();
        double progress = s.path("progress").asDouble();
        out.printf("Aquatrade %s at %s: %s mode, %s%s, market clock %s UTC%n", s.path("version").asText("?"), bot.base(),
                s.path("mode").asText(), phase, "trading".equals(phase) && progress > 0 && progress < 1
                        ? " (" + Formats.fraction(progress) + " of the replay)" : "",
                s.path("clockMs").asLong() > 0 ? Formats.utcMinute(s.path("clockMs").asLong()) : "–");
        String kill = s.path("killSwitch").asText();
        String meaning = switch (kill) {
            case "ACTIVE" -> "trading normally";
            case "REDUCING" -> "exits only, no new entries";
            case "HALTED" -> "no orders at all";
            default -> "";
        };
        out.printf("  kill switch   %s (%s)%s%n", kill, meaning,
                s.path("killSwitchCause").isTextual() ? " set by " + s.path("killSwitchCause").asText() : "");
        if (s.path("entriesHalted").asBoolean()) {
            out.printf("  entries       halted for today: %s%n", s.path("haltReason").asText());
        }
        BigDecimal start = dec(s, "startQuote");
        BigDecimal equity = dec(s, "equity");
        double ret = start.signum() == 0 ? 0 : equity.subtract(start).doubleValue() * 100 / start.doubleValue();
        out.printf("  equity        %s USDT (start %s, %s)%n", Formats.money(equity), Formats.money(start),
                Formats.signedPercent(ret));
        BigDecimal today = dec(s, "todayPnl");
        BigDecimal limit = dec(s, "maxDailyLoss");
        double used = today.signum() < 0 && limit.signum() > 0 ? -today.doubleValue() * 100 / limit.doubleValue() : 0;
        out.printf("  today's PnL   %s USDT (daily-loss limit -%s, %s used)%n", Formats.signedMoney(today),
                Formats.money(limit), Formats.percent(used));
        out.printf("  realised PnL  %s USDT net of fees (fees %s), unrealised %s%n", Formats.signedMoney(dec(s, "realizedPnl")),
                Formats.money(dec(s, "fees")), Formats.signedMoney(dec(s, "unrealizedPnl")));
        out.printf("  exposure      %s of %s USDT, %d of %d positions open%n", Formats.money(dec(s, "exposure")),
                Formats.money(dec(s, "maxTotalExposure")), s.path("openPositions").asInt(), s.path("maxOpenPositions").asInt());
        out.printf("  orders        %s fills; last minute %d (cap %d), today %d (cap %d)%n", Formats.count(s.path("fills").asLong()),
                s.path("tradesLastMinute").asInt(), s.path("maxTradesPerMinute").asInt(), s.path("tradesToday").asInt(),
                s.path("maxTradesPerDay").asInt());
        JsonNode rules = s.path("rules");
        out.printf("  rules         %s%s%n", rules.path("version").asText(s.path("rulesVersion").asText("?")),
                rules.has("ruleCount") ? " (" + rules.path("ruleCount").asInt() + " rules in "
                        + rules.path("files").size() + " files)" : "");
        if (rules.path("lastReloadError").isTextual()) {
            out.println("                last reload rejected: " + rules.path("lastReloadError").asText().lines().findFirst().orElse(""));
        }
        // a replay that has finished sends no more messages: the end of its data, not a stale feed (as on the page)
        boolean ended = "finished".equals(phase);
        for (JsonNode st : s.path("streams")) {
            out.printf("  stream        %s: %s messages, %s%n", st.path("stream").asText(),
                    Formats.count(st.path("messages").asLong()), st.path("lastMessageWallMs").asLong() == 0 ? "never"
                            : ended ? "replay finished" : "last " + Formats.duration(st.path("ageSeconds").asDouble()) + " ago");
        }
        for (JsonNode p : s.path("pauses")) {
            long until = p.path("untilMs").asLong();
            out.printf("  paused        %s %s until %s: %s%n", p.path("symbol").asText(), p.path("kind").asText(),
                    until == 0 ? "its feed is good again" : Formats.utcMinute(until) + " UTC", p.path("cause").asText());
        }
        JsonNode positions = s.path("positions");
        if (positions.size() > 0) {
            String row = "  %-12s %14s %12s %12s %12s %12s %10s %11s  %s%n";
            out.printf(row, "position", "qty", "entry", "last", "stop", "target", "cost", "unrealised", "protection");
            for (JsonNode p : positions) {
                out.printf(row, p.path("symbol").asText(), plain(p, "qty"), price(p, "avgEntryPrice"),
                        price(p, "lastPrice"), price(p, "stopPrice"), price(p, "takeProfitPrice"),
                        Formats.money(dec(p, "costQuote")), Formats.signedMoney(dec(p, "unrealizedPnl")),
                        p.path("protection").asText("local"));
            }
        }
        if (s.path("exchangeBanned").asBoolean()) {
            out.println("  EXCHANGE BAN  the exchange answered HTTP 418: orders are suspended until it lifts");
        }
    }

    private static BigDecimal dec(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() || v.isTextual() ? new BigDecimal(v.asText()) : BigDecimal.ZERO;
    }

    private static String price(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() || v.isTextual() ? Formats.price(v.asText()) : "–";
    }

    private static String plain(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? "–" : new BigDecimal(v.asText()).stripTrailingZeros().toPlainString();
    }
}
