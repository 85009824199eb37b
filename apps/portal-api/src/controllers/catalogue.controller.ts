import { Body, Controller, Get, HttpCode, Injectable, Param, PipeTransform, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { NotFound } from '@kundportal/kernel';
import { Principal } from '@kundportal/identity';
import { CatalogueQueries, isOfferingId, isServiceId, PublishOffering, PublishService, RetireOffering } from '@kundportal/catalogue';
import { PublishOfferingDto, PublishServiceDto } from '../dto/catalogue.dto';
import { listAnswer, PageQuery, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, StaffOnly } from '../http/auth';
import { CallerService } from '../http/caller.service';
import { CatalogueDto } from '../dto/answers.dto';

/** Service ids in paths are slugs; anything else names nothing that exists. */
@Injectable()
class ServiceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isServiceId(value)) throw new NotFound('service');
    return value;
  }
}

/** Offering ids in paths are `<serviceId>-<slug>`; anything else names nothing that exists. */
@Injectable()
class OfferingIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isOfferingId(value)) throw new NotFound('offering');
    return value;
  }
}

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly catalogue: CatalogueQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The services and the offerings that can be ordered now, with their order forms' })
  @ApiOkResponse({ type: CatalogueDto })
  async list(@Query() query: PageQuery) {
    const page = pageRequest(query);
    return listAnswer(await this.catalogue.services(page), page, (s) => ({
      id: s._id,
      name: s.name,
      description: s.description,
      offerings: s.offerings.map((o) => ({ id: o.id, name: o.name, version: o.version, startupFee: o.startupFee, fields: o.fields })),
    }));
  }

  @Post('services')
  @StaffOnly()
  @ApiOperation({ summary: 'Publish a service (staff)' })
  async publishService(@Body() body: PublishServiceDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(
      new PublishService({ serviceId: body.id, name: body.name, description: body.description }, this.callers.context(request, caller)),
    );
  }

  @Post('services/:serviceId/offerings')
  @StaffOnly()
  @ApiOperation({ summary: 'Publish an offering of a service, or a new version of it for new orders (staff)' })
  async publishOffering(
    @Param('serviceId', ServiceIdPipe) serviceId: string,
    @Body() body: PublishOfferingDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(
      new PublishOffering(
        serviceId,
        { offeringId: body.id, name: body.name, startupFee: { amount: body.startupFee.amount, currency: body.startupFee.currency }, fields: body.fields },
        this.callers.context(request, caller),
      ),
    );
  }

  @Post('offerings/:offeringId/retire')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire an offering: no new orders of it (staff)' })
  async retire(@Param('offeringId', OfferingIdPipe) offeringId: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new RetireOffering(offeringId, this.callers.context(request, caller)));
  }
}
