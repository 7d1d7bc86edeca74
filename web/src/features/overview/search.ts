import { z } from 'zod';
import { windowSearch } from '../../charts/window-search';

export const overviewSearchSchema = z.object({ window: windowSearch });
