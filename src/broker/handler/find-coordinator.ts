/** FindCoordinator: this node coordinates every group (key type 0) and every transactional id (key type 1). */
import { ErrorCode } from '../protocol/error-code.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../protocol/find-coordinator/types.ts';
import type { BrokerServices, Handler } from './context.ts';

const GROUP = 0;
const TRANSACTION = 1;

export function findCoordinatorHandler(svc: BrokerServices): Handler<FindCoordinatorRequest, FindCoordinatorResponse> {
  return (req) => {
    if (req.keyType !== GROUP && req.keyType !== TRANSACTION) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown coordinator key type ${req.keyType}`, nodeId: -1, host: '', port: -1 };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: svc.config.nodeId, host: svc.advertised.host, port: svc.advertised.port };
  };
}
