import { Controller, Get, Req } from '@nestjs/common';
import { RequireMachine, type ClerkAuthenticatedRequest, type ClerkMachineAuth } from 'nestjs-clerk-users';

/** For other services: M2M tokens only (a user's session token gets 401 here, a machine token 401 everywhere else). */
@Controller('machine')
export class MachineController {
  @RequireMachine('m2m_token')
  @Get('ping')
  ping(@Req() request: ClerkAuthenticatedRequest) {
    const machine = request.auth as ClerkMachineAuth; // always a machine on a @RequireMachine() route
    return { pong: true, tokenType: machine.tokenType, machineId: machine.machineId, scopes: machine.scopes };
  }
}
