/** OffsetCommit (key 8): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';
import { offsetCommitV2 } from './offset-commit-v2.ts';
import { offsetCommitV3 } from './offset-commit-v3.ts';
import { offsetCommitV4 } from './offset-commit-v4.ts';
import { offsetCommitV5 } from './offset-commit-v5.ts';
import { offsetCommitV6 } from './offset-commit-v6.ts';
import { offsetCommitV7 } from './offset-commit-v7.ts';

export type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';

export const offsetCommitVersions: ReadonlyArray<ApiVersionCodec<OffsetCommitRequest, OffsetCommitResponse>> = [offsetCommitV2, offsetCommitV3, offsetCommitV4, offsetCommitV5, offsetCommitV6, offsetCommitV7];
