import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Rows inserted, updated or deleted by this process: the benchmark compares the engine with raw inserts of as many rows. */
export const rowsWritten = { count: 0 };

export class WriteCounterPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const affected = args.result.numAffectedRows;
    if (affected !== undefined && affected > 0n) rowsWritten.count += Number(affected);
    return args.result;
  }
}
