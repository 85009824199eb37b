import { DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, Clock, systemClock } from './clock';
import { APP_CONFIG, AppConfig, loadConfig } from './config';
import { PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from './secrets';

/** Configuration, clock and the personnummer digest, for every module. */
@Global()
@Module({})
export class KernelModule {
  /** `config` defaults to the environment's; tests pass their own (and a clock that moves when told). */
  static forRoot(config: AppConfig = loadConfig(), clock: Clock = systemClock): DynamicModule {
    return {
      module: KernelModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: PERSONAL_NUMBER_DIGEST, useValue: PersonalNumberDigest.fromConfig(config.dataDir, config.personalNumberKey) },
      ],
      exports: [APP_CONFIG, CLOCK, PERSONAL_NUMBER_DIGEST],
    };
  }
}
