/** Reading and verifying the audit log: administrators only. */
import { Router } from 'express';
import { z } from 'zod';
import { verifyAuditChain } from '../../storage/audit.js';
import { requirePermission } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { parseInput } from './validate.js';

const query = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function auditRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;
  router.use('/audit', requirePermission('audit.read'));

  /** Newest first; page with ?before=<smallest id seen>. */
  router.get('/audit', async (req, res) => {
    const q = parseInput(query, req.query, 'query string');
    let select = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_id')
      .select(['audit_log.id', 'audit_log.at', 'audit_log.actor_id', 'users.email as actor_email', 'audit_log.action', 'audit_log.entity_type', 'audit_log.entity_id', 'audit_log.before', 'audit_log.after', 'audit_log.hash'])
      .orderBy('audit_log.id', 'desc').limit(q.limit);
    if (q.entityType) select = select.where('audit_log.entity_type', '=', q.entityType);
    if (q.entityId) select = select.where('audit_log.entity_id', '=', q.entityId);
    if (q.before) select = select.where('audit_log.id', '<', q.before);
    const rows = await select.execute();
    res.json({
      entries: rows.map((r) => ({
        id: r.id, at: r.at, actor: r.actor_id === null ? null : { id: r.actor_id, email: r.actor_email }, action: r.action,
        entity: { type: r.entity_type, id: r.entity_id }, before: parseJson(r.before), after: parseJson(r.after), hash: r.hash,
      })),
    });
  });

  router.get('/audit/verify', async (_req, res) => {
    res.json(await verifyAuditChain(db));
  });

  return router;
}
