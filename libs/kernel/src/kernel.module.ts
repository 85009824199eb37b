import { DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, Clock, systemClock } from './clock';
import { APP_CONFIG, AppConfig, loadConfig } from './config';
import { METRICS, Metrics } from './metrics';
import { PERSONAL_NUMBER_DIGEST, PersonalNumberDigest, SECRET_TOKENS, SecretTokens } from './secrets';

/** Configuration, clock and the personnummer digest, for every module. */
@Global()
@Module({})
export class KernelModule {
  /** `config` defaults to the environment's; tests pass their own (and a clock that moves when told). */
  static forRoot(config: AppConfig = loadConfig(), clock: Clock = systemClock): DynamicModule {
    const digest = PersonalNumberDigest.fromConfig(config.dataDir, config.personalNumberKey);
    return {
      module: KernelModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: PERSONAL_NUMBER_DIGEST, useValue: digest },
        // Derived from the same shared secret, so every process verifies every other's links.
        { provide: SECRET_TOKENS, useValue: new SecretTokens(digest.secret) },
        { provide: METRICS, useValue: new Metrics() },
      ],
      exports: [APP_CONFIG, CLOCK, PERSONAL_NUMBER_DIGEST, SECRET_TOKENS, METRICS],
    };
  }
}
