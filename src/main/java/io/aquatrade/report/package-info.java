/**
 * The record of a run and its outputs: every fill ({@code trades.csv}), the equity and exposure
 * curve, per-symbol figures, halts, and the summary ({@code report.json}, {@code report.html} with
 * inline SVG charts, readable offline).
 */
package io.aquatrade.report;
