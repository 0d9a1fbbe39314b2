package dev.lookout.network;

public enum NetworkAction {
    Report, Recreate
}
