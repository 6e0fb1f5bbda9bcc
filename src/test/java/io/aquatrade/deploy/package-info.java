/**
 * Tests of the deployment surface with the real components: Debian's Prometheus and promtool against a
 * running bot (dashboards' and alert rules' PromQL), the Docker image and compose stack on a real engine
 * (restart policy, health check, rule edits through the bind mount), and the consistency of the files in
 * docker/ and grafana/.
 */
package io.aquatrade.deploy;
