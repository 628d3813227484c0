/**
 * The check plugin contract.
 *
 * <p>A plugin implements {@link dev.chatops.core.spi.Check}: it declares
 * {@link dev.chatops.core.spi.Probe probes} (named, fixed, read-only commands), the engine runs
 * them on a host through a transport and hands the collected
 * {@link dev.chatops.core.spi.Evidence} to {@link dev.chatops.core.spi.Check#diagnose}, which
 * returns a {@link dev.chatops.core.spi.Diagnosis}: a {@link dev.chatops.core.spi.Verdict} and
 * ranked {@link dev.chatops.core.spi.Cause causes}, each with the
 * {@link dev.chatops.core.spi.EvidenceLine evidence} it rests on and the
 * {@link dev.chatops.core.spi.Fix fixes} to apply. Everything here is a value; nothing here
 * depends on Slack, SSH or the configuration format.
 */
package dev.chatops.core.spi;
