import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from 'nestjs-clerk-users';
import { ClerkHealthIndicator } from 'nestjs-clerk-users/terminus';

/** `GET /health` (@nestjs/terminus): the database and Clerk; 503 when one of them is down. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly clerk: ClerkHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    // The Clerk check fetches the JWKS at most once per 5 s, however often /health is called.
    return this.health.check([() => this.database.pingCheck('database'), () => this.clerk.isHealthy('clerk')]);
  }
}
