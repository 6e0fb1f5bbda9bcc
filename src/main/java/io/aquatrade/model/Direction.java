package io.aquatrade.model;

/** Which way a mover day's move went from its start. */
public enum Direction {
    UP, DOWN
}
