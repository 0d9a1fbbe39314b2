/**
 * Prometheus' text exposition format 0.0.4, read: what {@code /metrics} of Prometheus, blackbox-exporter and
 * dcgm-exporter serve for {@code Accept: text/plain;version=0.0.4}. One parser for the code base; a bad line
 * is reported and skipped, never the end of the read.
 */
package dev.lookout.exposition;
