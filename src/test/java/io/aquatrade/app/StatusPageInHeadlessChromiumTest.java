package io.aquatrade.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REQUIRES Debian's {@code chromium} and {@code chromium-driver} (/usr/bin/chromium, /usr/bin/chromedriver;
 * .ci/run installs them). Fails, rather than skips, when they are missing: the status page is part of the
 * product. Drives the page of a real demo run in real headless Chromium through Selenium: the figures it
 * shows are those of /api/status, and the kill-switch buttons work with the token and are refused without.
 */
class StatusPageInHeadlessChromiumTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static DemoRun demo;
    private static WebDriver driver;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws Exception {
        assertThat(CHROMIUM).as("headless Chromium (apt-get install chromium)").isExecutable();
        assertThat(CHROMEDRIVER).as("ChromeDriver (apt-get install chromium-driver)").isExecutable();
        demo = DemoRun.shared();
        long t0 = System.nanoTime();
        profile = Files.createTempDirectory("aquatrade-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1300", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        System.out.printf("Chromium started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        demo.post("/api/resume", "{\"reason\":\"test cleanup\"}", DemoRun.TOKEN);
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText().trim();
    }

    private void openPage() {
        driver.get(demo.url("/"));
        waiting().until(d -> !d.findElement(By.id("equity")).getText().equals("–")
                && d.findElement(By.id("updated")).getText().equals("page connected"));
    }

    @Test
    void theFiguresShownAreThoseOfTheStatusApi() throws Exception {
        openPage();
        JsonObject s = demo.status();
        assertThat(s.getString("phase")).isEqualTo("finished"); // nothing moves while we compare
        assertMoney("equity", s.getString("equity"));
        assertMoney("start-quote", s.getString("startQuote"));
        assertMoney("cash", s.getString("cash"));
        assertMoney("deployable", s.getString("deployable"));
        assertMoney("today-pnl", s.getString("todayPnl"));
        assertMoney("daily-loss-limit", new BigDecimal(s.getString("maxDailyLoss")).negate().toPlainString());
        assertMoney("realized-pnl", s.getString("realizedPnl"));
        assertMoney("unrealized-pnl", s.getString("unrealizedPnl"));
        assertMoney("exposure", s.getString("exposure"));
        assertMoney("exposure-cap", s.getString("maxTotalExposure"));
        assertMoney("symbol-cap", s.getString("maxSymbolExposure"));
        assertThat(text("open-positions")).isEqualTo(String.valueOf(s.getInteger("openPositions")));
        assertThat(text("open-positions-cap")).isEqualTo(String.valueOf(s.getInteger("maxOpenPositions")));
        assertThat(text("trades-today")).isEqualTo(String.valueOf(s.getInteger("tradesToday")));
        assertThat(text("trades-minute-cap")).isEqualTo(String.valueOf(s.getInteger("maxTradesPerMinute")));
        assertThat(text("kill-state")).isEqualTo(s.getString("killSwitch"));
        assertThat(text("mode")).isEqualToIgnoringCase(s.getString("mode"));
        assertThat(text("rules-version")).isEqualTo(s.getJsonObject("rules").getString("version"));

        // tables are re-rendered every second: read each in one script call, as one consistent picture
        JsonArray positions = s.getJsonArray("positions");
        List<List<String>> rows = cells("positions-table");
        assertThat(rows).hasSize(positions.size() + 1);
        for (int i = 0; i < positions.size(); i++) {
            JsonObject p = positions.getJsonObject(i);
            assertThat(rows.get(i + 1).get(0)).isEqualTo(p.getString("symbol"));
            assertClose(rows.get(i + 1).get(4), p.getString("costQuote"));
        }
        // exposure per symbol: every traded symbol, each with its exposure
        JsonObject bySymbol = s.getJsonObject("exposureBySymbol");
        List<List<String>> expRows = cells("exposure-table");
        assertThat(expRows).hasSize(bySymbol.size() + 1);
        for (List<String> r : expRows.subList(1, expRows.size())) {
            assertClose(r.get(1), bySymbol.getString(r.get(0)));
        }
        // latest trades: newest first, identified by their client order id
        JsonArray trades = s.getJsonArray("latestTrades");
        List<List<String>> tradeRows = cells("trades-table");
        assertThat(tradeRows).hasSize(Math.min(20, trades.size()) + 1);
        assertThat(tradeRows.get(1).get(1)).isEqualTo(trades.getJsonObject(0).getString("symbol"));
        assertThat(tradeRows.get(1).get(2)).isEqualTo(trades.getJsonObject(0).getString("side"));
        assertThat(tradeRows.get(1).get(8)).isEqualTo(trades.getJsonObject(0).getString("clientOrderId"));
        // realised PnL on every SELL row (net of fees), blank on BUYs
        for (int i = 0; i < Math.min(20, trades.size()); i++) {
            JsonObject t = trades.getJsonObject(i);
            String shown = tradeRows.get(i + 1).get(6);
            if (t.getString("side").equals("SELL")) {
                assertClose(shown, t.getString("realizedPnl"));
            } else {
                assertThat(shown).isEmpty();
            }
        }
        // the equity chart: the day's curve with a marker per latest trade of the day
        long dayStart = s.getLong("clockMs") / 86_400_000L * 86_400_000L;
        long todays = trades.stream().map(JsonObject.class::cast).filter(t -> t.getLong("timeMs") >= dayStart).count();
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart svg path.equity').length")).intValue()).isOne();
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart svg g.mark').length")).longValue())
                .isEqualTo(todays).isPositive();
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart svg line.daystart').length")).intValue()).isOne();
        // paused symbols with their end; after the day's end nothing is still paused at the final clock
        JsonArray pauses = s.getJsonArray("pauses");
        List<List<String>> pauseRows = cells("pauses-table");
        assertThat(pauseRows).hasSize(Math.max(1, pauses.size()) + 1);
        for (int i = 0; i < pauses.size(); i++) {
            assertThat(pauseRows.get(i + 1).get(0)).isEqualTo(pauses.getJsonObject(i).getString("symbol"));
        }
        // stream health
        List<String> stream = cells("streams-table").get(1);
        assertThat(stream.get(0)).isEqualTo("replay");
        // a finished replay is not a stale feed: no red alarm
        assertThat(stream.get(1)).isEqualTo("replay finished");
        assertThat(((Number) js("return document.querySelectorAll('#streams-table .stale').length")).intValue()).isZero();
        // the connection pill says the page is connected, not that it trades live; the badge says REPLAY
        assertThat(text("updated")).isEqualTo("page connected").doesNotContainIgnoringCase("live");
        assertThat(text("mode")).isEqualToIgnoringCase("replay");
        assertThat(driver.findElement(By.id("btn-halt")).isEnabled()).isTrue(); // this run has a control token
        assertThat(stream.get(2).replace(",", ""))
                .isEqualTo(String.valueOf(s.getJsonArray("streams").getJsonObject(0).getLong("messages")));
        screenshot("status-page.png");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1400, 800})
    void everyTableFitsItsCard(int width) throws Exception {
        Chromium.width(driver, width, 1600);
        openPage();
        long inner = ((Number) js("return window.innerWidth")).longValue();
        assertThat(((Number) js("return document.documentElement.scrollWidth")).longValue()).isLessThanOrEqualTo(inner);
        @SuppressWarnings("unchecked")
        List<String> overflowing = (List<String>) js("return Array.from(document.querySelectorAll('.card'))"
                + ".filter(c => c.scrollWidth > c.clientWidth + 1).map(c => (c.querySelector('h2, .label') || c).textContent.trim())");
        if (width >= 1400) {
            assertThat(overflowing).as("cards whose table needs scrolling at " + width + " px").isEmpty();
        }
        Chromium.screenshot(driver, "status-" + width + ".png");
        Chromium.width(driver, 1400, 1300);
    }

    @Test
    void withoutAControlTokenTheButtonsAreDisabledWithTheReason() throws Exception {
        // the same run behind a second ops server that has no control token
        io.aquatrade.ops.OpsServer noToken = new io.aquatrade.ops.OpsServer(demo.run.vertx, demo.run.registry,
                demo.run::status, demo.run.control(), io.aquatrade.ops.ControlToken.resolve(
                        "AQUATRADE_TEST_UNSET_" + ProcessHandle.current().pid(), "", java.util.Map.of()));
        int port = noToken.start("127.0.0.1", 0).await();
        try {
            driver.get("http://127.0.0.1:" + port + "/");
            waiting().until(d -> d.findElement(By.id("updated")).getText().equals("page connected")
                    && !d.findElement(By.id("control-disabled")).getText().isEmpty());
            for (String id : List.of("btn-halt", "btn-reduce", "btn-resume", "btn-reload")) {
                assertThat(driver.findElement(By.id(id)).isEnabled()).as(id).isFalse();
                assertThat(driver.findElement(By.id(id)).getAttribute("title")).contains("no control token");
            }
            assertThat(text("control-disabled")).startsWith("Buttons disabled: control API disabled: no control token")
                    .contains("AQUATRADE_CONTROL_TOKEN");
            assertThat(driver.findElement(By.id("token")).isEnabled()).isFalse();
            Chromium.screenshot(driver, "status-no-token.png");
        } finally {
            noToken.stop().await();
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Test
    void theKillSwitchButtonsWorkWithTheTokenAndAreRefusedWithout() throws Exception {
        openPage();
        assertThat(text("kill-state")).isEqualTo("ACTIVE");

        // no token: refused, nothing changes
        driver.findElement(By.id("token")).clear();
        driver.findElement(By.id("btn-halt")).click();
        waiting().until(d -> d.findElement(By.id("control-msg")).getText().startsWith("Refused"));
        assertThat(text("control-msg")).contains("401").contains("Bearer");
        assertThat(driver.findElement(By.id("control-msg")).getAttribute("class")).contains("err");
        assertThat(demo.status().getString("killSwitch")).isEqualTo("ACTIVE");

        // a wrong token: refused too
        driver.findElement(By.id("token")).sendKeys("not-the-token-0123456789");
        driver.findElement(By.id("btn-halt")).click();
        waiting().until(d -> d.findElement(By.id("control-msg")).getText().contains("wrong token"));
        assertThat(demo.status().getString("killSwitch")).isEqualTo("ACTIVE");
        assertThat(text("kill-state")).isEqualTo("ACTIVE");

        // the token: HALTED, shown on the page and in the API
        driver.findElement(By.id("token")).clear();
        driver.findElement(By.id("token")).sendKeys(DemoRun.TOKEN);
        driver.findElement(By.id("kill-reason")).sendKeys("selenium says stop");
        driver.findElement(By.id("btn-halt")).click();
        waiting().until(d -> d.findElement(By.id("kill-state")).getText().equals("HALTED"));
        assertThat(text("control-msg")).isEqualTo("Kill switch is now HALTED");
        assertThat(demo.status().getString("killSwitch")).isEqualTo("HALTED");
        waiting().until(d -> d.findElement(By.id("kill-meaning")).getText().contains("selenium says stop"));
        assertThat(driver.findElement(By.id("kill-card")).getAttribute("class")).contains("state-HALTED");
        screenshot("status-page-halted.png");

        driver.findElement(By.id("btn-reduce")).click();
        waiting().until(d -> d.findElement(By.id("kill-state")).getText().equals("REDUCING"));
        assertThat(demo.status().getString("killSwitch")).isEqualTo("REDUCING");

        driver.findElement(By.id("btn-resume")).click();
        waiting().until(d -> d.findElement(By.id("kill-state")).getText().equals("ACTIVE"));
        assertThat(demo.status().getString("killSwitch")).isEqualTo("ACTIVE");
        assertThat(ControlApiTest.metricOf(demo, "aquatrade_kill_switch_state")).isEqualTo(0.0);
    }

    /** The cell texts of a table, row by row (header row first), read at one instant. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> cells(String tableId) {
        return (List<List<String>>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#' + arguments[0] + ' tr'))"
                        + ".map(r => Array.from(r.cells).map(c => c.textContent.trim()));", tableId);
    }

    private void assertMoney(String id, String apiValue) {
        assertClose(text(id), apiValue);
    }

    /** The page shows 2 decimals with thousands separators: equal to the API's figure within rounding. */
    private static void assertClose(String shown, String apiValue) {
        BigDecimal s = new BigDecimal(shown.replace(",", ""));
        BigDecimal a = new BigDecimal(apiValue);
        assertThat(s.subtract(a).abs()).as(shown + " vs " + apiValue).isLessThanOrEqualTo(new BigDecimal("0.0050001"));
    }

    private static void screenshot(String name) throws Exception {
        Chromium.screenshot(driver, name);
    }
}
