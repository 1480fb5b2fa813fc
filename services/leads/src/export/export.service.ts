import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { pipeline, Transform, type Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { decodeCursor, LEAD_COLUMNS, pageSql } from '../listing/lead-query';
import { CSV_COLUMNS, csvRecord, type ExportRow } from './csv-columns';
import type { ExportQueryDto } from './export.dto';

/** Rows fetched from the database cursor at a time: memory stays flat whatever the export's size. */
const BATCH_ROWS = 1000;

/**
 * Streams leads as CSV straight from a PostgreSQL cursor (pg-query-stream) through csv-stringify to the response,
 * with back-pressure all the way, so 100k leads are never held in memory.
 */
@Injectable()
export class ExportService {
  constructor(private readonly dataSource: DataSource) {}

  async csv(accountId: string, query: ExportQueryDto): Promise<Readable> {
    const sort = query.sort ?? 'createdAt';
    const order = query.order ?? 'desc';
    const cursor = query.cursor ? decodeCursor(query.cursor, sort, order) : undefined;
    const limit = query.scope === 'page' ? query.limit ?? 50 : null;
    const columns = `${LEAD_COLUMNS}, (SELECT name FROM team_members m WHERE m.member_id = leads.agent_id) AS "agentName"`;
    const { sql, params } = pageSql(accountId, query, { sort, order, limit, ...(cursor ? { cursor } : {}) }, columns);

    const runner = this.dataSource.createQueryRunner();
    const client = await runner.connect() as PoolClient;
    const rows = client.query(new QueryStream(sql, params, { batchSize: BATCH_ROWS }));
    const toRecords = new Transform({
      objectMode: true,
      transform(row: ExportRow, _encoding, done) {
        done(null, csvRecord(row));
      },
    });
    const csv = stringify({ header: true, columns: CSV_COLUMNS.map((column) => column.header) });
    // pipeline destroys every stage when one fails or the client goes away; the connection goes back either way.
    return pipeline(rows, toRecords, csv, () => void runner.release());
  }
}
