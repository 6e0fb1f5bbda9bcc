/**
 * Research on recorded data: the optimizer's parameter space and quasi-random sampling, walk-forward
 * folds, objectives and constraints on daily returns, the fan-out of many parameter sets over one
 * market pass, and the edge report (random-entry baseline, buy-and-hold, hit rates, look-ahead check,
 * bootstrap projection). Everything here runs the same pipeline classes a replay runs.
 */
package io.aquatrade.research;
