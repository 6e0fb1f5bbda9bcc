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
                && d.findElement(By.id("updated")).getText().equals("live"));
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
        assertThat(tradeRows.get(1).get(7)).isEqualTo(trades.getJsonObject(0).getString("clientOrderId"));
        // stream health
        List<String> stream = cells("streams-table").get(1);
        assertThat(stream.get(0)).isEqualTo("replay");
        assertThat(stream.get(2).replace(",", ""))
                .isEqualTo(String.valueOf(s.getJsonArray("streams").getJsonObject(0).getLong("messages")));
        screenshot("status-page.png");
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
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.copy(f.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    }
}
