/**
 * The check plugin contract, SPI version {@value dev.chatops.core.spi.Check#SPI_VERSION}: what a
 * plugin compiles against, in the {@code check-api} module, which depends on the JDK only.
 *
 * <p>A plugin implements {@link dev.chatops.core.spi.Check}: it declares
 * {@link dev.chatops.core.spi.Probe probes} (named, fixed, read-only commands), the engine runs
 * them on a host through a transport and hands the collected
 * {@link dev.chatops.core.spi.Evidence} to {@link dev.chatops.core.spi.Check#diagnose}, which
 * returns a {@link dev.chatops.core.spi.Diagnosis}: a {@link dev.chatops.core.spi.Verdict} and
 * ranked {@link dev.chatops.core.spi.Cause causes} (built with
 * {@link dev.chatops.core.spi.Cause#of}), each with the
 * {@link dev.chatops.core.spi.EvidenceLine evidence} it rests on and the
 * {@link dev.chatops.core.spi.Fix fixes} to apply. A check may declare
 * {@link dev.chatops.core.spi.Setting settings}; the configured values reach it as
 * {@link dev.chatops.core.spi.Settings} in {@link dev.chatops.core.spi.CheckOptions} and in the
 * evidence. Everything here is a value; nothing here depends on Slack, SSH or the configuration
 * format. docs/plugins.md walks through writing a check.
 */
package dev.chatops.core.spi;
