import { SetMetadata } from '@nestjs/common';
import { CLERK_IS_PUBLIC } from './auth.constants.js';

/** The route needs no user. A valid token still sets `@CurrentUser()`; an invalid one is ignored. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(CLERK_IS_PUBLIC, true);
