/**
 * The program: the picocli command line, wiring of every component for a mode, the trading
 * pipeline that runs events through state, echo, rules and execution on one clock, and the Vert.x
 * verticles that host it.
 */
package io.aquatrade.app;
