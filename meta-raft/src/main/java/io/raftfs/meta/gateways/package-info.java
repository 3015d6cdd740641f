/** The S3 gateways a master knows of: their reports, kept in memory for the cluster page. */
package io.raftfs.meta.gateways;
