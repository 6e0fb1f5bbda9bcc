package io.aquatrade.research;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the optimizer maximises on a window of days. Sharpe and Sortino are of daily returns,
 * annualised with sqrt(365) (crypto trades every day); Calmar is the annualised return over the
 * window's max drawdown; {@code max_drawdown} scores the drawdown's negative (less is better). A deviation counts
 * as at least 0.01 % a day and a drawdown as at least 0.01 % (EquityCurve), so a window that never lost scores
 * highest, finite.
 */
public enum Objective {
    NET_PNL("net_pnl"), SHARPE("sharpe"), SORTINO("sortino"), CALMAR("calmar"), MAX_DRAWDOWN("max_drawdown");

    private final String cliName;

    Objective(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Objective parse(String name) {
        for (Objective o : values()) {
            if (o.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("--objective must be one of "
                + Arrays.stream(values()).map(Objective::cliName).collect(Collectors.joining(", ")) + ", got '" + name + "'");
    }

    /** The score of {@code m}: higher is better. */
    public double score(WindowMetrics m) {
        return switch (this) {
            case NET_PNL -> m.netPnl();
            case SHARPE -> m.sharpe();
            case SORTINO -> m.sortino();
            case CALMAR -> m.calmar();
            case MAX_DRAWDOWN -> -m.maxDrawdownPct();
        };
    }
}
